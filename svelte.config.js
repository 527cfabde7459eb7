// Svelte's own configuration, shared by the Vite plugin, svelte-check and ESLint (defaults suit this app).
export default {};
