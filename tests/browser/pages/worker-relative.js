// A classic worker that loads its code by a URL relative to its own.
importScripts('./worker-flow.js');
