/** Renderer entry: pick the door's bridge and mount the app. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { selectBridge } from './bridge/select-bridge.js';
import { App } from './components/App.js';
import { BridgeProvider } from './lib/bridge-context.js';
import './styles.css';

const bridge = selectBridge();
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <BridgeProvider bridge={bridge}>
      <App />
    </BridgeProvider>
  </StrictMode>,
);
