// Starts s3rver on loopback for the S3 storage tests: node s3rver.mjs --dir DIR --port-file FILE.
// Only known access key ids are accepted (S3RVER/S3RVER); s3rver 3.7 does not check V4 signatures themselves
// (its authentication code says so), so signing, tampered signatures and wrong secrets are untested on it.
import S3rver from 's3rver';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { dir: { type: 'string' }, 'port-file': { type: 'string' } } });
const server = new S3rver({
  address: '127.0.0.1',
  port: 0,
  directory: values.dir,
  silent: false, // its request log goes to a file that test.sh shows only when the run fails
  allowMismatchedSignatures: false,
  vhostBuckets: false,
});
const { port } = await server.run();
writeFileSync(values['port-file'], String(port));
const stop = () => server.close().finally(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
