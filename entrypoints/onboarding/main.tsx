/** Entry of onboarding.html: mounts the page component (logic lives in components/ and lib/ui/). */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '../../components/styles.css';
import { syncTheme } from '../../components/theme';
import { OnboardingApp } from '../../components/onboarding/OnboardingApp';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <OnboardingApp />
  </StrictMode>,
);
syncTheme();
