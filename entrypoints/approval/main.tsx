/** Entry of approval.html: mounts the page component (logic lives in components/ and lib/ui/). */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '../../components/styles.css';
import { syncTheme } from '../../components/theme';
import { ApprovalApp } from '../../components/approval/ApprovalApp';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ApprovalApp />
  </StrictMode>,
);
syncTheme();
