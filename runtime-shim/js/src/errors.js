// The error every viewsan check throws: `kind` is a contract-3 kind, `report` its plain JSON.
export class ViewSanError extends Error {
  constructor(report) {
    super(report.message);
    this.name = 'ViewSanError';
    this.kind = report.kind;
    this.report = report;
  }
}
