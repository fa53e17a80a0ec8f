import viewsan from 'viewsan/vite';

// viewsan-instrument is found through VIEWSAN_INSTRUMENT, which CTest sets to the one it built.
export default {
  plugins: [viewsan({ runtime: { mallocContextSize: 8 } })],
};
