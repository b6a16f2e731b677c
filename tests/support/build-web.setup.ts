// @ts-expect-error: a plain ES module script without type declarations
import { buildWeb } from '../../scripts/build-web.mjs';

export default async function setup(): Promise<void> {
  await (buildWeb as () => Promise<boolean>)();
}
