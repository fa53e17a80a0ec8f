// sql.js: create a table, insert 500 rows through a prepared statement, index, update, delete,
// query, and export the database file.

import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * initSqlJs from `glue` (the path of sql.js's JS file), loaded afresh: initSqlJs keeps its first
 * module for good, and each run here must instantiate its own.
 */
export function freshInitSqlJs(glue) {
  delete require.cache[require.resolve(glue)];
  return require(glue);
}

/** Runs the queries on `SQL` (what initSqlJs resolved to); returns their results and the file. */
export function queries(SQL) {
  const db = new SQL.Database();
  db.run('CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, score REAL, data BLOB)');
  const insert = db.prepare('INSERT INTO t (name, score, data) VALUES (?, ?, ?)');
  for (let i = 0; i < 500; i++) {
    insert.run([`name-${i}-${'x'.repeat(i % 37)}`, i * 1.25, new Uint8Array(i % 64).fill(i & 255)]);
  }
  insert.free();
  db.run('CREATE INDEX t_score ON t (score)');
  db.run('UPDATE t SET score = score * 2 WHERE id % 3 = 0');
  db.run('DELETE FROM t WHERE id % 7 = 0');
  const results = db.exec(`
    SELECT count(*), sum(score), max(length(name)), sum(length(data)) FROM t;
    SELECT id, name, score, hex(data) FROM t WHERE score > 400 ORDER BY score DESC LIMIT 5;
    SELECT group_concat(id) FROM (SELECT id FROM t ORDER BY name LIMIT 20);`);
  const rows = [];
  const select = db.prepare('SELECT id, data FROM t WHERE id BETWEEN ? AND ?');
  select.bind([100, 140]);
  while (select.step()) rows.push(select.get());
  select.free();
  const bytes = db.export();
  db.close();
  return { results, rows, bytes };
}
