export default defineBackground(() => {
  console.info('[x402] background started');
});
