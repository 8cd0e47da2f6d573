import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './ui/styles/app.css';
import './ui/learn/learn.css';
import './ui/share/share.css';
import { App } from './ui/App';
import { createController } from './ui/app/controller';
import { ControllerContext } from './ui/app/controller-context';
import { EmbedApp } from './ui/embed/EmbedApp';
import { isEmbed } from './ui/embed/embed-mode';
import { startFromUrl } from './ui/share/start-from-url';
import { EngineClient } from './ui/worker/client';

const client = new EngineClient(
  () => new Worker(new URL('./ui/worker/engine.worker.ts', import.meta.url), { type: 'module', name: 'engine' }),
  // Resolved here: relative to the worker's own URL it would point into assets/.
  new URL('pglite-datadir.tar.gz', document.baseURI).href,
);
const controller = createController(client);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ControllerContext.Provider value={controller}>{isEmbed(window.location.search) ? <EmbedApp /> : <App />}</ControllerContext.Provider>
  </StrictMode>,
);
void startFromUrl(controller, window.location.search);
