// The search page: asks the variant's Pagefind index (outputs/search.py) for ?q=, with the
// category and source filters, and lists the stories: title, date, source and an excerpt.
// Pagefind's excerpt is HTML; only its text and its <mark>s are kept, as text and elements.
(function () {
  "use strict";
  var box = document.querySelector(".search");
  if (!box) return;
  var form = box.querySelector("form");
  var input = form.elements.q, category = form.elements.category, source = form.elements.source;
  var status = box.querySelector(".search-status"), list = box.querySelector(".search-results");
  var params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  var pagefind = import(box.dataset.bundle + "pagefind.js").then(function (module) {
    return module.options({ baseUrl: box.dataset.base }).then(function () { return module; });
  });

  function option(select, value, label) {
    var item = document.createElement("option");
    item.value = value;
    item.textContent = label;
    select.appendChild(item);
  }

  function fillFilters(found) {
    [[category, "category", box.dataset.allCategories], [source, "source", box.dataset.allSources]]
      .forEach(function (entry) {
        var values = Object.keys(found[entry[1]] || {}).sort();
        if (!values.length) return;
        option(entry[0], "", entry[2]);
        values.forEach(function (value) { option(entry[0], value, value); });
        entry[0].value = params.get(entry[1]) || "";
        entry[0].hidden = false;
      });
  }

  function excerpt(html) {
    var parsed = document.createElement("template"), out = document.createElement("p");
    parsed.innerHTML = html;  // inert: nothing in a template runs or loads
    parsed.content.childNodes.forEach(function (node) {
      if (node.nodeName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        out.appendChild(mark);
      } else {
        out.appendChild(document.createTextNode(node.textContent));
      }
    });
    out.className = "search-excerpt";
    return out;
  }

  function show(data) {
    var item = document.createElement("li"), link = document.createElement("a");
    var heading = document.createElement("h2"), about = document.createElement("p");
    link.href = data.url;
    link.textContent = (data.meta && data.meta.title) || data.url;
    heading.appendChild(link);
    about.className = "search-meta";
    about.textContent = [data.meta && data.meta.date, data.meta && data.meta.source].filter(Boolean).join(" · ");
    item.append(heading, about, excerpt(data.excerpt || ""));
    list.appendChild(item);
  }

  function wanted() {
    var filters = {};
    if (category.value) filters.category = category.value;
    if (source.value) filters.source = source.value;
    return filters;
  }

  function carryQuery() {
    document.querySelectorAll(".script-switch a").forEach(function (link) {
      var url = new URL(link.href, location.href);
      url.search = location.search;
      link.href = url.href;
    });
  }

  function run() {
    var query = input.value.trim(), filters = wanted();
    list.textContent = "";
    status.textContent = "";
    if (!query && !Object.keys(filters).length) return Promise.resolve();
    return pagefind.then(function (module) {
      return module.search(query || null, { filters: filters });
    }).then(function (search) {
      status.textContent = search.results.length
        ? box.dataset.found.replace("{n}", search.results.length) : box.dataset.none;
      return Promise.all(search.results.slice(0, 30).map(function (result) { return result.data(); }));
    }).then(function (results) {
      (results || []).forEach(show);
    }).catch(function (problem) {
      status.textContent = box.dataset.failed + problem;
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var next = new URLSearchParams();
    if (input.value.trim()) next.set("q", input.value.trim());
    if (category.value) next.set("category", category.value);
    if (source.value) next.set("source", source.value);
    history.replaceState(null, "", "?" + next.toString());
    carryQuery();
    run();
  });
  [category, source].forEach(function (select) {
    select.addEventListener("change", function () { form.requestSubmit(); });
  });
  carryQuery();
  pagefind.then(function (module) { return module.filters(); }).then(fillFilters).then(run)
    .catch(function (problem) { status.textContent = box.dataset.failed + problem; });
})();
