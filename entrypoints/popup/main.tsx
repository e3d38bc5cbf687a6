/** Entry of popup.html: mounts the page component (logic lives in components/ and lib/ui/). */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '../../components/styles.css';
import { syncTheme } from '../../components/theme';
import { PopupApp } from '../../components/popup/PopupApp';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <PopupApp />
  </StrictMode>,
);
syncTheme();
