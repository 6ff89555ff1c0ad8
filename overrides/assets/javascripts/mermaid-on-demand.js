// Mermaid, loaded only by a page that has a diagram.
//
// Material renders diagrams through a global `mermaid`, and when there is none it fetches
// Mermaid from unpkg.com: a request leaving the site. Loading the vendored copy on every
// page instead would cost each page 2.7 MB of script that only a few pages use. This
// stand-in answers Material's two calls, initialize() and render(); the first render()
// loads the vendored copy (which then replaces the stand-in) and hands the call over.
(function () {
  const vendored = new URL("vendor/mermaid-11.12.1.min.js", document.currentScript.src).href;
  let settings = {};
  let loading = null;

  function load() {
    loading ??= new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = vendored;
      script.onload = () => {
        window.mermaid.initialize(settings);
        resolve(window.mermaid);
      };
      script.onerror = () => {
        loading = null; // let the next diagram try again
        reject(new Error(`could not load ${vendored}`));
      };
      document.head.appendChild(script);
    });
    return loading;
  }

  window.mermaid = {
    initialize(config) {
      settings = config;
    },
    async render(id, text) {
      return (await load()).render(id, text);
    },
  };
})();
