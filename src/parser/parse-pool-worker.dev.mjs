// Only when running from the TypeScript sources (tests, tsx): a pool thread registers tsx before loading the
// real worker module. The built project loads parse-pool-worker.js directly.
const ready = import('tsx/esm/api')
  .then((tsx) => tsx.register())
  .then(() => import(new URL('./parse-pool-worker.ts', import.meta.url).href));

export default async function parseTask(task) {
  return (await ready).default(task);
}
