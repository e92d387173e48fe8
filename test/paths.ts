/** Paths the integration tests share: the repository root, fixtures, and the shared pcap corpus. */
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

/** Repository root (tests run compiled from dist/test/, two levels below it). */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const fixturesDir = join(repoRoot, 'test', 'fixtures');
/** tcpdump's own test captures, beside the repository (never copied into it). */
export const corpusDir = join(repoRoot, '..', 'shared', 'corpus', 'pcap', 'tcpdump-tests');
