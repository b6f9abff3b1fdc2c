// The docs page: renders the OpenAPI document embedded beside this script (the JSON
// script element with id "openapi").
// Every text from the spec goes into the DOM as a text node or a property (never as
// HTML), so no spec value can add markup or script.
(function () {
  "use strict";
  const started = performance.now();

  const spec = JSON.parse(document.getElementById("openapi").textContent);
  const components = spec.components || {};
  const schemes = components.securitySchemes || {};
  const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

  // el("div", {class: "x"}, "text", child…): attributes set as properties or attributes,
  // children appended as nodes or text nodes.
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (key === "class") node.className = value;
      else if (key === "value") node.value = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else if (key in node && typeof value !== "string") node[key] = value;
      else node.setAttribute(key, value);
    }
    append(node, children);
    return node;
  }

  // The DOM's own `append` writes `undefined` and arrays as text: this one skips the
  // absent parts and flattens.
  const add = (node, ...children) => append(node, children);

  function append(node, children) {
    for (const child of children.flat(Infinity)) {
      if (child === undefined || child === null || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  // Text with `code` spans (the spec's descriptions use them), as nodes.
  function prose(text) {
    if (!text) return [];
    return String(text).split(/(`[^`]+`)/).map((part) =>
      part.length > 2 && part.startsWith("`") && part.endsWith("`")
        ? el("code", null, part.slice(1, -1))
        : part);
  }

  const code = (text) => el("code", null, text);

  // ---- schemas ----------------------------------------------------------------------

  function refName(ref) {
    const prefix = "#/components/schemas/";
    return typeof ref === "string" && ref.startsWith(prefix)
      ? decodeURIComponent(ref.slice(prefix.length).replace(/~1/g, "/").replace(/~0/g, "~"))
      : null;
  }

  // utoipa writes a described reference as {allOf: [{$ref}], description}: one schema.
  function unwrap(schema) {
    if (schema && Array.isArray(schema.allOf) && schema.allOf.length === 1 && !schema.properties) {
      const { allOf, ...rest } = schema;
      return { ...allOf[0], ...rest, description: rest.description };
    }
    return schema || {};
  }

  // A one-line type: "string", "array of Widget", "Color", "integer (int64)".
  function typeLabel(schema) {
    schema = unwrap(schema);
    const name = refName(schema.$ref);
    if (name) return name;
    if (schema.type === "array") return "array of " + typeLabel(schema.items);
    if (Array.isArray(schema.type)) return schema.type.join(" or ");
    if (schema.oneOf || schema.anyOf) return "one of " + (schema.oneOf || schema.anyOf).map(typeLabel).join(", ");
    let label = schema.type || (schema.properties ? "object" : "any");
    if (schema.format) label += " (" + schema.format + ")";
    return label;
  }

  // Constraints in words, one element each.
  function constraints(schema) {
    const out = [];
    const add = (label, value) => out.push(el("span", { class: "constraint" }, label, " ", code(String(value))));
    if (schema.nullable) out.push(el("span", { class: "constraint" }, "nullable"));
    if (schema.minLength !== undefined) add("min length", schema.minLength);
    if (schema.maxLength !== undefined) add("max length", schema.maxLength);
    if (schema.minimum !== undefined) add(schema.exclusiveMinimum === true ? "more than" : "minimum", schema.minimum);
    if (schema.maximum !== undefined) add(schema.exclusiveMaximum === true ? "less than" : "maximum", schema.maximum);
    if (schema.minItems !== undefined) add("min items", schema.minItems);
    if (schema.maxItems !== undefined) add("max items", schema.maxItems);
    if (schema.pattern !== undefined) add("pattern", schema.pattern);
    if (schema.default !== undefined) add("default", JSON.stringify(schema.default));
    if (schema.example !== undefined) add("example", JSON.stringify(schema.example));
    return out;
  }

  // A schema, expanded: objects as property lists, arrays by their items, references
  // resolved (`seen` holds the models being expanded: a cycle is named, not followed).
  // `shown` holds the models already expanded in this operation: a repeat is folded.
  function schemaView(schema, seen, shown) {
    schema = unwrap(schema);
    const name = refName(schema.$ref);
    if (name) {
      const target = (components.schemas || {})[name];
      if (!target) return el("div", { class: "schema missing" }, "model ", code(name), " (not in the document)");
      if (seen.has(name)) {
        return el("div", { class: "schema recursive" }, "model ", code(name), " (recursive: as above)");
      }
      const inner = new Set(seen).add(name);
      const description = schema.description && schema.description !== target.description ? schema.description : null;
      if (shown && shown.has(name)) {
        return el("details", { class: "schema model repeat" },
          el("summary", { class: "model-name" }, "model ", code(name), " (as above)"),
          description && el("p", { class: "description" }, prose(description)),
          schemaView({ ...target, $ref: undefined }, inner, null));
      }
      if (shown) shown.add(name);
      return el("div", { class: "schema model" },
        el("div", { class: "model-name" }, "model ", code(name)),
        description && el("p", { class: "description" }, prose(description)),
        schemaView({ ...target, $ref: undefined }, inner, shown));
    }
    const box = el("div", { class: "schema" });
    if (schema.description) add(box, el("p", { class: "description" }, prose(schema.description)));
    if (Array.isArray(schema.enum)) {
      add(box, el("div", { class: "enum" }, typeLabel({ ...schema, enum: undefined }), ", one of: ",
        schema.enum.map((value, i) => [i ? ", " : "", el("code", { class: "enum-value" }, typeof value === "string" ? value : JSON.stringify(value))])));
    }
    const limits = constraints(schema);
    if (limits.length) add(box, el("div", { class: "constraints" }, limits.map((c, i) => [i ? "; " : "", c])));
    for (const key of ["oneOf", "anyOf", "allOf"]) {
      if (!Array.isArray(schema[key])) continue;
      const words = { oneOf: "exactly one of", anyOf: "any of", allOf: "all of" }[key];
      add(box, el("div", { class: "variants" }, words + ":",
        el("ol", null, schema[key].map((variant) => el("li", null, schemaView(variant, seen, shown))))));
    }
    if (schema.type === "array" || schema.items) {
      add(box, el("div", { class: "items" }, "array of ", typeLabel(schema.items), ":", schemaView(schema.items || {}, seen, shown)));
    }
    if (schema.properties) {
      const required = new Set(schema.required || []);
      const rows = Object.entries(schema.properties).map(([prop, sub]) => {
        const plain = unwrap(sub);
        const nested = refName(plain.$ref) || plain.properties || plain.items || plain.oneOf || plain.anyOf;
        return el("li", { class: "property" },
          el("span", { class: "property-name" }, code(prop)), " ",
          el("span", { class: "type" }, typeLabel(sub)), " ",
          required.has(prop) ? el("span", { class: "required" }, "required") : el("span", { class: "optional" }, "optional"),
          nested ? schemaView(sub, seen, shown) : leafDetails(plain));
      });
      add(box, el("ul", { class: "properties" }, rows));
    }
    if (schema.additionalProperties && typeof schema.additionalProperties === "object") {
      add(box, el("div", { class: "map" }, "map of string to ", typeLabel(schema.additionalProperties), ":",
        schemaView(schema.additionalProperties, seen, shown)));
    }
    if (!box.childNodes.length) add(box, el("span", { class: "type" }, typeLabel(schema)));
    return box;
  }

  // What a scalar property says besides its type.
  function leafDetails(schema) {
    const parts = [];
    if (schema.description) parts.push(el("p", { class: "description" }, prose(schema.description)));
    if (Array.isArray(schema.enum)) {
      parts.push(el("div", { class: "enum" }, "one of: ", schema.enum.map((value, i) =>
        [i ? ", " : "", el("code", { class: "enum-value" }, typeof value === "string" ? value : JSON.stringify(value))])));
    }
    const limits = constraints(schema);
    if (limits.length) parts.push(el("div", { class: "constraints" }, limits.map((c, i) => [i ? "; " : "", c])));
    return parts.length ? el("div", { class: "leaf" }, parts) : null;
  }

  // An example value built from a schema, for the try-it body.
  function example(schema, seen) {
    schema = unwrap(schema);
    const name = refName(schema.$ref);
    if (name) {
      if (seen.has(name)) return null;
      return example((components.schemas || {})[name] || {}, new Set(seen).add(name));
    }
    if (schema.example !== undefined) return schema.example;
    if (schema.default !== undefined) return schema.default;
    if (Array.isArray(schema.enum)) return schema.enum[0];
    if (schema.oneOf || schema.anyOf) return example((schema.oneOf || schema.anyOf)[0], seen);
    if (schema.properties || schema.type === "object") {
      const out = {};
      for (const [prop, sub] of Object.entries(schema.properties || {})) out[prop] = example(sub, seen);
      return out;
    }
    if (schema.type === "array") return [example(schema.items || {}, seen)];
    if (schema.type === "integer" || schema.type === "number") return schema.minimum || 0;
    if (schema.type === "boolean") return false;
    if (schema.type === "string") return schema.format === "date-time" ? new Date(0).toISOString() : "string";
    return null;
  }

  // ---- auth in words ------------------------------------------------------------------

  function where(scheme) {
    if (scheme.in === "query") return ["the ", code(scheme.name), " query parameter"];
    if (scheme.in === "cookie") return ["the ", code(scheme.name), " cookie"];
    return ["the ", code(scheme.name), " header"];
  }

  // One security scheme, as a client developer reads it.
  function schemeWords(name, scopes) {
    const scheme = schemes[name];
    if (!scheme) return ["the ", code(name), " scheme (not described in the document)"];
    const description = scheme.description || "";
    const scopeWords = scopes && scopes.length ? [", with scope ", scopes.map((s, i) => [i ? ", " : "", code(s)])] : [];
    if (scheme.type === "apiKey") {
      if (/signature version 4/i.test(description)) {
        return ["a request signed with AWS Signature Version 4 (IAM credentials) in ", where(scheme)];
      }
      if (/authorizer/i.test(description)) {
        return ["a token in ", where(scheme), ", checked by the ", code(name), " authorizer"];
      }
      return ["API key in ", where(scheme)];
    }
    if (scheme.type === "http" && String(scheme.scheme).toLowerCase() === "bearer") {
      return ["a bearer token", scheme.bearerFormat ? " (" + scheme.bearerFormat + ")" : "",
        " in the ", code("Authorization"), " header, checked by the ", code(name), " authorizer", scopeWords];
    }
    if (scheme.type === "http") return ["HTTP ", String(scheme.scheme), " credentials (", code(name), ")"];
    if (scheme.type === "oauth2" || scheme.type === "openIdConnect") {
      return ["an OAuth 2.0 access token from ", code(name), scopeWords];
    }
    return [code(name), " (" + scheme.type + ")"];
  }

  // The security requirements of an operation: alternatives (any one) of sets (all).
  function authView(requirements) {
    const box = el("div", { class: "auth" });
    if (!requirements || requirements.length === 0) {
      add(box, el("p", null, "No authentication."));
      return box;
    }
    const alternatives = requirements.map((requirement) => {
      const names = Object.keys(requirement);
      if (names.length === 0) return el("span", null, "no authentication");
      const parts = names.map((n, i) => [i ? (i === names.length - 1 ? " and " : ", ") : "", schemeWords(n, requirement[n])]);
      return el("span", null, names.length > 1 ? ["both: ", parts] : parts);
    });
    add(box, el("p", null, alternatives.length > 1 ? "Needs one of:" : "Needs ",
      alternatives.length > 1 ? el("ul", null, alternatives.map((a) => el("li", null, a))) : [alternatives[0], "."]));
    for (const names of requirements.map(Object.keys).flat().filter((n, i, all) => all.indexOf(n) === i)) {
      const scheme = schemes[names];
      if (scheme && scheme.description) add(box, el("p", { class: "scheme-description" }, code(names), ": ", prose(scheme.description)));
    }
    return box;
  }

  // ---- CORS: the path's `x-cors` (the public spec's extension for it) ------------------

  const list = (items) => items.map((item, i) => [i ? ", " : "", code(item)]);

  function corsView(cors) {
    const box = el("div", { class: "cors" });
    if (!cors) {
      add(box, el("p", null, "No CORS policy: a browser page can call this path only from the API's own origin."));
      return box;
    }
    const origins = cors.allowOrigins || [];
    const from = [];
    if (origins.includes("*")) from.push("any origin");
    else if (origins.length) from.push(origins.length > 1 ? "the origins " : "the origin ", list(origins));
    if (cors.originsSetAtDeployment) from.push(from.length ? " and " : "", "the origin set at deployment");
    add(box,
      el("p", null, "Browsers may call this path from ", from, "."),
      el("ul", null,
        el("li", null, "methods: ", list(cors.allowMethods || [])),
        el("li", null, "request headers: ", (cors.allowHeaders || []).length ? list(cors.allowHeaders) : "none beyond the simple ones"),
        cors.exposeHeaders && el("li", null, "response headers the page may read: ", list(cors.exposeHeaders)),
        cors.maxAge !== undefined && el("li", null, "preflight answers cached for ", String(cors.maxAge), " s"),
        el("li", null, cors.allowCredentials ? "credentials (cookies, auth headers) allowed" : "credentials (cookies, auth headers) not allowed")));
    return box;
  }

  // ---- operations ---------------------------------------------------------------------

  const operations = [];
  for (const [path, item] of Object.entries(spec.paths || {})) {
    for (const method of METHODS) {
      if (!item[method]) continue;
      const op = item[method];
      const params = [...(item.parameters || []), ...(op.parameters || [])];
      const tags = op.tags && op.tags.length ? op.tags : ["default"];
      operations.push({ path, method, op, params, tags, cors: item["x-cors"] });
    }
  }

  function parameterList(params, shown) {
    return el("ul", { class: "parameters" }, params.map((p) =>
      el("li", { class: "parameter" },
        el("span", { class: "parameter-name" }, code(p.name)), " ",
        el("span", { class: "location" }, "in " + p.in), " ",
        el("span", { class: "type" }, typeLabel(p.schema || {})), " ",
        p.required ? el("span", { class: "required" }, "required") : el("span", { class: "optional" }, "optional"),
        p.description && el("p", { class: "description" }, prose(p.description)),
        p.schema && (refName(unwrap(p.schema).$ref) || p.schema.enum || p.schema.properties)
          ? schemaView(p.schema, new Set(), shown) : leafDetails(p.schema || {}))));
  }

  function contentView(content, shown) {
    return Object.entries(content || {}).map(([type, media]) =>
      el("div", { class: "media" }, el("div", { class: "media-type" }, code(type)),
        media.schema ? schemaView(media.schema, new Set(), shown) : el("span", null, "(no schema)")));
  }

  function operationView(entry) {
    const { path, method, op, params } = entry;
    const id = "op-" + (op.operationId || (method + path)).replace(/[^A-Za-z0-9_-]+/g, "-");
    const details = el("details", { class: "operation " + method, id });
    const summary = el("summary", null,
      el("span", { class: "method" }, method.toUpperCase()), " ",
      el("span", { class: "path" }, path), " ",
      el("span", { class: "summary" }, prose(op.summary)),
      op.deprecated && el("span", { class: "deprecated" }, "deprecated"));
    add(details, summary);
    // The body is built when the operation is first opened: a page of 1000 operations
    // then starts with 1000 summary lines, not every model of every operation.
    details.addEventListener("toggle", () => {
      if (details.open && !details.querySelector(".operation-body")) add(details, operationBody(entry));
    });
    entry.node = details;
    entry.haystack = [method, path, op.summary, op.operationId, entry.tags.join(" ")].join(" ").toLowerCase();
    return details;
  }

  // Docs, auth, parameters, bodies and responses of one operation, and its try-it form.
  function operationBody(entry) {
    const { op, params } = entry;
    const body = el("div", { class: "operation-body" });
    const shown = new Set();
    if (op.description) add(body, el("p", { class: "description" }, prose(op.description)));
    if (op.operationId) add(body, el("p", { class: "operation-id" }, "operation ", code(op.operationId)));
    add(body, el("h4", null, "Authentication"), authView(op.security || spec.security));
    add(body, el("h4", null, "CORS"), corsView(entry.cors));
    if (params.length) add(body, el("h4", null, "Parameters"), parameterList(params, shown));
    if (op.requestBody) {
      add(body, el("h4", null, "Request body", op.requestBody.required ? " (required)" : " (optional)"),
        op.requestBody.description && el("p", { class: "description" }, prose(op.requestBody.description)),
        el("div", { class: "request-body" }, contentView(op.requestBody.content, shown)));
    }
    const responses = Object.entries(op.responses || {});
    if (responses.length) {
      add(body, el("h4", null, "Responses"), el("ul", { class: "responses" }, responses.map(([status, response]) =>
        el("li", { class: "response" },
          el("span", { class: "status" }, status), " ", prose(response.description),
          response.headers && el("ul", { class: "headers" }, Object.entries(response.headers).map(([h, v]) =>
            el("li", null, "header ", code(h), v.description ? [": ", prose(v.description)] : ""))),
          contentView(response.content, shown)))));
    }
    add(body, tryForm(entry));
    return body;
  }

  // ---- try it -------------------------------------------------------------------------

  // The reader's server URL is kept across reloads (per API title), where storage works.
  const serverKey = "aws-spec-docs:server:" + ((spec.info && spec.info.title) || "");
  const stored = (() => { try { return localStorage.getItem(serverKey); } catch (_) { return null; } })();
  const serverInput = el("input", {
    id: "server-url", type: "url", placeholder: "https://api.example.com/prod",
    value: stored || (spec.servers && spec.servers[0] && spec.servers[0].url)
      || (/^https?:$/.test(location.protocol) ? location.origin : ""),
  });
  serverInput.addEventListener("change", () => {
    try { localStorage.setItem(serverKey, serverInput.value); } catch (_) { /* private mode */ }
  });

  function tryForm(entry) {
    const { path, method, op, params } = entry;
    const fields = [];
    const form = el("form", { class: "try", "data-operation": op.operationId || method + " " + path });
    for (const p of params) {
      const input = el("input", { name: p.in + ":" + p.name, placeholder: typeLabel(p.schema || {}), required: !!(p.required && p.in === "path") });
      fields.push(el("label", null, el("span", null, p.name, " (" + p.in + ")"), input));
    }
    const needed = (op.security || spec.security || []).map(Object.keys).flat().filter((n, i, all) => all.indexOf(n) === i);
    for (const name of needed) {
      const scheme = schemes[name] || {};
      if (scheme.type === "apiKey") {
        fields.push(el("label", null, el("span", null, scheme.name + " (" + scheme.in + ", " + name + ")"),
          el("input", { name: scheme.in + ":" + scheme.name, autocomplete: "off" })));
      } else if (scheme.type === "http" || scheme.type === "oauth2" || scheme.type === "openIdConnect") {
        fields.push(el("label", null, el("span", null, "Authorization (" + name + ")"),
          el("input", { name: "header:Authorization", placeholder: "Bearer …", autocomplete: "off" })));
      }
    }
    let bodyType = null;
    if (op.requestBody) {
      const content = op.requestBody.content || {};
      bodyType = Object.keys(content)[0] || "application/json";
      const sample = content[bodyType] && content[bodyType].schema ? example(content[bodyType].schema, new Set()) : "";
      fields.push(el("label", { class: "body" }, el("span", null, "body (" + bodyType + ")"),
        el("textarea", { name: "body", rows: 6, value: typeof sample === "string" ? sample : JSON.stringify(sample, null, 2) })));
    }
    const output = el("pre", { class: "try-response", hidden: true });
    add(form, el("div", { class: "fields" }, fields), el("button", { type: "submit" }, "Send " + method.toUpperCase()), output);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const data = new FormData(form);
      let url = serverInput.value.replace(/\/+$/, "") + path.replace(/\{([^}]+)\}/g, (_, n) =>
        encodeURIComponent(data.get("path:" + n) || ""));
      const query = new URLSearchParams();
      const headers = new Headers();
      for (const [key, value] of data.entries()) {
        if (!value || key === "body") continue;
        const [where, name] = [key.slice(0, key.indexOf(":")), key.slice(key.indexOf(":") + 1)];
        if (where === "query") query.append(name, value);
        else if (where === "header") headers.set(name, value);
      }
      if (String(query)) url += "?" + query;
      const init = { method: method.toUpperCase(), headers };
      if (bodyType && method !== "get" && method !== "head") {
        headers.set("Content-Type", bodyType);
        init.body = data.get("body");
      }
      output.hidden = false;
      output.className = "try-response pending";
      output.textContent = init.method + " " + url + "\n…";
      try {
        const response = await fetch(url, init);
        const text = await response.text();
        const lines = [response.status + " " + response.statusText];
        response.headers.forEach((value, name) => lines.push(name + ": " + value));
        output.className = "try-response done";
        output.dataset.status = String(response.status);
        output.textContent = init.method + " " + url + "\n\n" + lines.join("\n") + "\n\n" + text;
      } catch (error) {
        output.className = "try-response failed";
        output.textContent = init.method + " " + url + "\n\nno answer: " + error.message
          + " (is the server URL right, and does the API allow this page's origin through CORS?)";
      }
    });
    return el("details", { class: "try-it" }, el("summary", null, "Try it"), form);
  }

  // ---- the page -----------------------------------------------------------------------

  const info = spec.info || {};
  const groups = new Map();
  for (const entry of operations) {
    const tag = entry.tags[0];
    if (!groups.has(tag)) groups.set(tag, []);
    groups.get(tag).push(entry);
  }
  const tagDescriptions = new Map((spec.tags || []).map((t) => [t.name, t.description]));

  const search = el("input", { id: "search", type: "search", placeholder: "filter by path, method, summary or tag" });
  const tagSelect = el("select", { id: "tag-filter" }, el("option", { value: "" }, "all tags"),
    [...groups.keys()].map((tag) => el("option", { value: tag }, tag)));
  const count = el("span", { id: "count" });

  const main = el("main", null);
  const fragment = document.createDocumentFragment();
  for (const [tag, entries] of groups) {
    const section = el("section", { class: "tag-group", "data-tag": tag },
      el("h2", null, tag), tagDescriptions.get(tag) && el("p", { class: "description" }, prose(tagDescriptions.get(tag))),
      entries.map(operationView));
    groups.get(tag).section = section;
    add(fragment, section);
  }
  add(main, fragment);

  function applyFilter() {
    const words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
    const tag = tagSelect.value;
    let shown = 0;
    for (const [name, entries] of groups) {
      let any = false;
      for (const entry of entries) {
        const visible = (!tag || entry.tags.includes(tag)) && words.every((w) => entry.haystack.includes(w));
        entry.node.hidden = !visible;
        if (visible) { any = true; shown += 1; }
      }
      entries.section.hidden = !any;
    }
    count.textContent = shown === operations.length
      ? operations.length + " operations"
      : shown + " of " + operations.length + " operations";
  }
  let pending = 0;
  const schedule = () => { cancelAnimationFrame(pending); pending = requestAnimationFrame(applyFilter); };
  search.addEventListener("input", schedule);
  tagSelect.addEventListener("change", applyFilter);

  document.title = (info.title || "API") + (info.version ? " " + info.version : "");
  add(document.body, 
    el("header", null,
      el("h1", null, info.title || "API", info.version && el("span", { class: "version" }, info.version)),
      info.description && el("p", { class: "description" }, prose(info.description)),
      el("div", { class: "toolbar" },
        el("label", null, "Server URL ", serverInput),
        el("label", null, "Filter ", search),
        tagSelect, count)),
    main);
  applyFilter();

  // A link to #op-… opens that operation.
  const target = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
  if (target && target.tagName === "DETAILS") target.open = true;
  // For tests and the benchmark: how many operations, and the script's time.
  document.body.dataset.renderMs = (performance.now() - started).toFixed(1);
  document.body.dataset.renderedAt = performance.now().toFixed(1);
  document.body.dataset.rendered = String(operations.length);
})();
