// One thread of timeCodecOnThreads (codec.mjs): imports the signal's encoding and codecs by name
// (they are not transferable), waits for the go, runs its share of the files, reports.
import { parentPort, workerData } from 'node:worker_threads';
import { timeCodec } from './codec.mjs';

const { module, encoding, codecs, codec, files, framing } = workerData;
const plugin = await import(module);
parentPort.postMessage({ ready: true });
parentPort.once('message', async () => {
  const result = await timeCodec({
    encoding: plugin[encoding],
    codecs: plugin[codecs],
    codec,
    files,
    framing,
  });
  parentPort.postMessage({ rows: result.rows });
});
