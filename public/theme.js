// Applies the theme chosen in Settings → Appearance before the first paint: a classic script in
// each page's <head> (the CSP allows 'self' scripts only, so it is a file, not inline). The value
// is mirrored from the stored settings into this origin's localStorage by components/theme.ts.
try {
  var t = localStorage.getItem('x402.theme');
  document.documentElement.setAttribute('data-theme', t === 'light' || t === 'dark' ? t : 'system');
} catch (e) {
  document.documentElement.setAttribute('data-theme', 'system');
}
