/** Entry of options.html: mounts the page component (logic lives in components/ and lib/ui/). */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '../../components/styles.css';
import { syncTheme } from '../../components/theme';
import { OptionsApp } from '../../components/options/OptionsApp';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <OptionsApp />
  </StrictMode>,
);
syncTheme();
