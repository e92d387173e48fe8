// in-vm.sh's test process: imports the test files given as arguments, in order, into this one
// process (node:test runs their tests one at a time). A test that leaves a child process or a
// socket open would keep the process, and the VM, alive until kernel-vm's time limit: 30 s after
// the last test the process ends anyway, failing.
import { after } from 'node:test';
import { setTimeout } from 'node:timers';
import { pathToFileURL } from 'node:url';

after(() => {
  setTimeout(() => {
    console.error('test:kernels: something a test opened (a child process, a socket) is still open 30 s after the last test');
    process.exit(1);
  }, 30_000).unref();
});
for (const file of process.argv.slice(2)) await import(pathToFileURL(file).href);
