import type { Controller } from '../app/controller';
import { readLink } from './share-link';
import { useShare } from './share-store';

/** Starts the lab on the scenario a `?s=` link carries, or on the default one with the reason the link failed. */
export async function startFromUrl(controller: Controller, search: string): Promise<void> {
  const link = await readLink(search);
  if (link.kind === 'broken') useShare.setState({ linkError: link.message });
  if (link.kind === 'opening') useShare.setState({ linked: { file: link.opening.entry.file, title: link.opening.entry.title } });
  await controller.start(link.kind === 'opening' ? link.opening : undefined);
}
