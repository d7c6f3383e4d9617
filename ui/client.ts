// The browser bundle's entry. Hydration support must load before Lit itself (it patches LitElement),
// then the components upgrade the server-rendered elements in place.
import '@lit-labs/ssr-client/lit-element-hydrate-support.js';
import './components/index.ts';
