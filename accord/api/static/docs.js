// Starts Swagger UI on the node's OpenAPI document. A file rather than an inline
// script, so that /docs runs under a Content-Security-Policy without 'unsafe-inline'
// (accord/api/docs.py). validatorUrl null: no badge fetched from another host.
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: root.dataset.openapiUrl,
    dom_id: "#swagger-ui",
    layout: "BaseLayout",
    deepLinking: true,
    showExtensions: true,
    showCommonExtensions: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset]
  });
})();
