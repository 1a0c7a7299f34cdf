// rlplan map page script (geo/webmap). Reads the JSON elements written by
// webmap.Write and draws them with Leaflet on one canvas: levels of detail
// by zoom, themes as radio buttons, clustered points (Leaflet.markercluster),
// categories with filters, a legend, a KPI panel and popups. It reports
// window.rlplanStats = {layer name: features drawn now}, window.rlplanView()
// (zoom, level and cluster icons per layer) and window.rlplanReady = true for
// automated checks. Popups, legend and panel are built with textContent
// only, so property values are never parsed as HTML.
(function () {
  'use strict';

  function readJSON(id) {
    return JSON.parse(document.getElementById(id).textContent);
  }

  // unpack turns the packed form written by webmap (see pack.go) back into
  // a GeoJSON FeatureCollection.
  function unpack(p) {
    if (p.packed !== 2) throw new Error('rlplan: unknown data format ' + p.packed);
    var s = p.scale, keys = p.keys, n = p.geom.length, feats = new Array(n);
    // cx, cy: the first position of the previous run, from which the first
    // pair of the next run (or a point) is counted.
    var cx = 0, cy = 0;
    function run(a, ring) {
      var out = [], x = cx, y = cy;
      for (var j = 0; j + 1 < a.length; j += 2) {
        x += a[j]; y += a[j + 1];
        if (j === 0) { cx = x; cy = y; }
        out.push([x / s, y / s]);
      }
      if (ring && out.length) out.push([out[0][0], out[0][1]]);
      return out;
    }
    function runs(parts, ring) { return parts.map(function (a) { return run(a, ring); }); }
    var types = [null, 'Point', 'LineString', 'Polygon', 'MultiPoint', 'MultiLineString', 'MultiPolygon'];
    function geom(g) {
      if (g === null || !Array.isArray(g)) return g; // null or a GeometryCollection object
      var c = g[0], t = types[c], coords;
      if (c === 1) { cx += g[1]; cy += g[2]; coords = [cx / s, cy / s]; }
      else if (c === 2 || c === 4) coords = run(g[1], false);
      else if (c === 3 || c === 5) coords = runs(g.slice(1), c === 3);
      else if (c === 6) coords = g.slice(1).map(function (poly) { return runs(poly, true); });
      else throw new Error('rlplan: unknown geometry code ' + c);
      return { type: t, coordinates: coords };
    }
    for (var i = 0; i < n; i++) {
      var row = p.props[i], props = row;
      if (Array.isArray(row)) {
        props = {};
        for (var k = 0; k < keys.length; k++) props[keys[k]] = row[k];
      }
      var f = { type: 'Feature', properties: props, geometry: geom(p.geom[i]) };
      if (p.ids && p.ids[i] !== null) f.id = p.ids[i];
      feats[i] = f;
    }
    return { type: 'FeatureCollection', features: feats };
  }

  // fmt shows a class boundary with 3 significant digits.
  function fmt(x) {
    if (typeof x !== 'number' || !isFinite(x)) return String(x);
    return String(Number(x.toPrecision(3)));
  }

  // fmtClass shows a class threshold: a share as a percentage when the
  // popup shows the coloured property so, else with 3 significant digits.
  function fmtClass(x, lc) {
    var pct = (lc.fields || []).some(function (f) { return f.key === lc.colorBy && f.pct; });
    if (pct) return fmtValue(x, true);
    return Math.abs(x) >= 1000 ? fmtValue(Math.round(x)) : fmt(x);
  }

  // fmtValue shows a popup number with thousands separators and as many
  // decimals as its size deserves; pct shows a share as a percentage.
  function fmtValue(x, pct) {
    if (typeof x !== 'number' || !isFinite(x)) return String(x);
    if (pct) x *= 100;
    var a = Math.abs(x);
    var d = Number.isInteger(x) || a >= 100 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : 3;
    return x.toLocaleString('en-US', { maximumFractionDigits: d }) + (pct ? ' %' : '');
  }

  // short shows a count or sum in at most 4 characters: 950, 9.5k, 95k, 1.2M.
  function short(x) {
    var a = Math.abs(x);
    if (a >= 1e6) return fmt(x / 1e6) + 'M';
    if (a >= 1e4) return Math.round(x / 1e3) + 'k';
    if (a >= 1e3) return (Math.round(x / 100) / 10) + 'k';
    if (a >= 10 || Number.isInteger(x)) return String(Math.round(x));
    return String(Math.round(x * 10) / 10);
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  // classOf returns the colour class of v: the number of breaks <= v.
  function classOf(breaks, v) {
    var c = 0;
    while (c < breaks.length && v >= breaks[c]) c++;
    return c;
  }

  var t0 = performance.now();
  // Milliseconds spent building each layer level, and the whole script:
  // for the benchmarks (window.rlplanTimings).
  var timings = { build: {} };
  var cfg = readJSON('rlplan-config');

  function categoryOf(lc, props) {
    var v = props ? props[lc.categoryBy] : undefined;
    return typeof v === 'string' ? v : String(v);
  }

  function colorOf(lc, lv, props) {
    if (lc.colorBy) {
      var v = props ? props[lc.colorBy] : undefined;
      if (typeof v !== 'number' || !isFinite(v)) return cfg.noData;
      return lv.colors[classOf(lv.breaks || [], v)];
    }
    if (lc.categoryBy) {
      var c = categoryOf(lc, props);
      for (var i = 0; i < lc.categories.length; i++) {
        if (lc.categories[i].value === c) return lc.categories[i].color;
      }
    }
    return lc.color;
  }

  function cellText(v, f) {
    if (v === null || v === undefined) return '\u2014';
    if (typeof v === 'number') return fmtValue(v, f && f.pct) + (f && f.unit ? ' ' + f.unit : '');
    if (typeof v === 'boolean') return v ? 'yes' : 'no';
    if (typeof v === 'object') return JSON.stringify(v);
    return String(v);
  }

  function popupContent(props, fields, title) {
    var box = el('div', 'rlplan-popup');
    if (title) box.appendChild(el('div', 'rlplan-popup-title', title));
    var t = el('table');
    var rows = fields || Object.keys(props || {}).map(function (k) { return { key: k, label: k }; });
    rows.forEach(function (f) {
      if (!props || !Object.prototype.hasOwnProperty.call(props, f.key)) return;
      var tr = el('tr');
      tr.appendChild(el('th', null, f.label));
      tr.appendChild(el('td', null, cellText(props[f.key], f)));
      t.appendChild(tr);
    });
    if (!t.firstChild) box.appendChild(el('em', null, 'no properties'));
    box.appendChild(t);
    return box;
  }

  // One canvas for every data layer; the draw order is kept by restack().
  // The base has its own canvas in a lower pane and takes no clicks, so it
  // never needs restacking.
  var renderer = L.canvas({ padding: 0.5 });
  var map = L.map('map', {
    preferCanvas: true, renderer: renderer, zoomSnap: 0.25, zoomDelta: 0.5,
    minZoom: 2, maxZoom: 18 // markercluster needs a maximum zoom
  });
  map.createPane('rlplan-base').style.zIndex = 350;
  // Plain-text prefix: the page links to nothing.
  map.attributionControl.setPrefix('Leaflet 1.9.4');
  L.control.scale({ imperial: false, maxWidth: 160 }).addTo(map);

  if (cfg.bounds) {
    var b = cfg.bounds;
    map.fitBounds([[b[1], b[0]], [b[3], b[2]]], { padding: [20, 20], maxZoom: 12 });
  } else {
    map.setView([35, 105], 4); // mainland China
  }

  var baseLayer = null;
  if (cfg.base) {
    baseLayer = L.geoJSON(unpack(readJSON('rlplan-base')), {
      renderer: L.canvas({ pane: 'rlplan-base', padding: 0.5 }), interactive: false,
      style: { color: '#8c8c8c', weight: 0.8, fillColor: '#e6e6e6', fillOpacity: 1 }
    }).addTo(map);
  }

  // Per-layer state: holder is what the layer control switches; content
  // is the level drawn at the current zoom, built on first use.
  var states = cfg.layers.map(function (lc, i) {
    return { lc: lc, i: i, holder: L.layerGroup(), built: [], level: -1, content: null, hidden: {} };
  });

  function levelFor(st, z) {
    var lc = st.lc;
    if (z < lc.minZoom || (lc.maxZoom && z >= lc.maxZoom)) return -1;
    var j = -1;
    for (var k = 0; k < lc.levels.length; k++) if (lc.levels[k].minZoom <= z) j = k;
    return j;
  }

  function clusterIcon(st) {
    var lc = st.lc, sum = lc.cluster.sum;
    return function (cluster) {
      var ms = cluster.getAllChildMarkers(), total = 0, counts = {};
      for (var k = 0; k < ms.length; k++) {
        var p = ms[k].feature.properties || {};
        if (sum && typeof p[sum] === 'number' && isFinite(p[sum])) total += p[sum];
        if (lc.categoryBy) { var c = categoryOf(lc, p); counts[c] = (counts[c] || 0) + 1; }
      }
      var n = ms.length, size = Math.round(30 + 9 * Math.log(n) / Math.LN10);
      var ring = el('div', 'rlplan-cluster');
      ring.style.width = ring.style.height = size + 'px';
      ring.style.background = lc.color;
      if (lc.categoryBy) {
        // A conic gradient of the category shares, in legend order.
        var stops = [], at = 0;
        lc.categories.forEach(function (cat) {
          var m = counts[cat.value] || 0;
          if (!m) return;
          var to = at + 360 * m / n;
          stops.push(cat.color + ' ' + at.toFixed(1) + 'deg ' + to.toFixed(1) + 'deg');
          at = to;
        });
        if (at < 359.9) stops.push(lc.color + ' ' + at.toFixed(1) + 'deg 360deg');
        ring.style.background = 'conic-gradient(' + stops.join(', ') + ')';
      }
      var inner = el('div', 'rlplan-cluster-in');
      inner.appendChild(el('b', null, short(n)));
      if (sum) inner.appendChild(el('span', null, short(total) + (lc.cluster.unit ? '\u202f' + lc.cluster.unit : '')));
      ring.appendChild(inner);
      ring.title = n + ' features' + (sum ? ', ' + fmtValue(total) + ' ' + (lc.cluster.unit || sum) : '');
      return L.divIcon({ html: ring, className: 'rlplan-cluster-icon rlplan-cl-' + st.i, iconSize: L.point(size, size) });
    };
  }

  // build makes level j of a layer: its Leaflet features and the group
  // that draws them (a cluster group for clustered point layers).
  function build(st, j) {
    var tb = performance.now();
    var lc = st.lc, lv = lc.levels[j];
    var many = lv.features > 20000;
    function style(f) {
      var c = colorOf(lc, lv, f.properties);
      var line = f.geometry && /LineString/.test(f.geometry.type);
      if (line) return { color: c, weight: lc.weight || 2.5, opacity: 0.9, fill: false };
      if (lc.outline) return { color: c, weight: lc.weight || 1.5, fill: false };
      // Outlining tens of thousands of cells roughly doubles the canvas
      // redraw time and shows as grey noise when zoomed out: skip it.
      return {
        stroke: !(lc.colorBy && many),
        color: lc.colorBy ? '#555' : c, weight: lc.colorBy ? 0.3 : (lc.weight || 1),
        fillColor: c, fillOpacity: lc.opacity || 0.7
      };
    }
    function point(f, latlng) {
      return L.circleMarker(latlng, {
        renderer: renderer, radius: lc.radius, color: '#333', weight: 0.8,
        fillColor: colorOf(lc, lv, f.properties), fillOpacity: lc.opacity || 0.9
      });
    }
    var fc = unpack(readJSON(lv.data)), items = [];
    fc.features.forEach(function (f) {
      var opts = L.extend({ renderer: renderer, pointToLayer: point }, f.geometry && f.geometry.type !== 'Point' ? style(f) : {});
      var lyr = L.GeoJSON.geometryToLayer(f, opts);
      if (!lyr) return; // no geometry: kept in the file, not drawn
      lyr.feature = f;
      lyr.bindPopup(function () { return popupContent(f.properties, lc.fields, lc.name); }, { maxWidth: 360 });
      items.push({ layer: lyr, cat: lc.categoryBy ? categoryOf(lc, f.properties) : null, shown: false });
    });
    var group = lc.cluster ? L.markerClusterGroup({
      animate: false, showCoverageOnHover: false, spiderfyOnMaxZoom: true,
      maxClusterRadius: 60, disableClusteringAtZoom: lc.cluster.maxZoom,
      iconCreateFunction: clusterIcon(st)
    }) : L.featureGroup();
    var built = { group: group, items: items, shown: 0 };
    showItems(st, built);
    timings.build[lc.name + ' #' + j] = Math.round(performance.now() - tb);
    return built;
  }

  // showItems puts the items of categories not filtered out into the group.
  function showItems(st, built) {
    var add = [], del = [], n = 0;
    built.items.forEach(function (it) {
      var want = !(it.cat !== null && st.hidden[it.cat]);
      if (want) n++;
      if (want !== it.shown) (want ? add : del).push(it.layer);
      it.shown = want;
    });
    if (built.group.removeLayers) {
      if (del.length) built.group.removeLayers(del);
      if (add.length) built.group.addLayers(add);
    } else {
      del.forEach(function (l) { built.group.removeLayer(l); });
      add.forEach(function (l) { built.group.addLayer(l); });
    }
    built.shown = n;
  }

  // refresh draws the level the zoom asks for; it reports a change.
  function refresh(st) {
    var j = map.hasLayer(st.holder) ? levelFor(st, map.getZoom()) : -1;
    if (j === st.level) return false;
    if (st.content) st.holder.removeLayer(st.content.group);
    st.level = j;
    st.content = null;
    if (j >= 0) {
      if (!st.built[j]) st.built[j] = build(st, j);
      st.content = st.built[j];
      st.holder.addLayer(st.content.group);
    }
    return true;
  }

  // restack re-adds the layers above index i, so that the shared canvas
  // draws them over what was just added below them.
  function restack(i) {
    for (var k = i + 1; k < states.length; k++) {
      var st = states[k];
      if (st.content && map.hasLayer(st.holder)) {
        st.holder.removeLayer(st.content.group);
        st.holder.addLayer(st.content.group);
      }
    }
  }

  var stats = {};
  function updateStats() {
    if (cfg.base) stats[cfg.base.name] = map.hasLayer(baseLayer) ? cfg.base.features : 0;
    states.forEach(function (st) {
      stats[st.lc.name] = st.content && map.hasLayer(st.holder) ? st.content.shown : 0;
    });
  }

  var updating = false;
  function update(from) {
    if (updating) return;
    updating = true;
    var low = Infinity;
    states.forEach(function (st) {
      if (refresh(st)) low = Math.min(low, st.i);
    });
    if (from !== undefined) low = Math.min(low, from);
    if (low < Infinity) restack(low);
    updating = false;
    updateStats();
    drawLegend();
  }

  states.forEach(function (st) {
    st.holder.on('add', function () { update(st.i); });
    st.holder.on('remove', function () { update(); });
  });

  // The layer control: themes as radio buttons, the rest as check boxes.
  var themes = {}, overlays = {}, anyTheme = false, shownTheme = null;
  if (cfg.base) overlays[cfg.base.name] = baseLayer;
  states.forEach(function (st) {
    if (st.lc.theme) {
      themes[st.lc.name] = st.holder;
      anyTheme = true;
      if (st.lc.visible) shownTheme = st.holder;
    } else {
      overlays[st.lc.name] = st.holder;
    }
  });
  var noFill = L.layerGroup();
  if (anyTheme) themes['No fill'] = noFill;

  // The legend sits under the layer control, in the same corner, so that
  // the two never overlap; fitLegend keeps it within the map's height.
  var legend = L.control({ position: 'topright' });
  legend.onAdd = function () {
    var d = L.DomUtil.create('div', 'rlplan-legend');
    L.DomEvent.disableClickPropagation(d);
    L.DomEvent.disableScrollPropagation(d);
    return d;
  };

  function swatch(color, label, kind) {
    var row = el('div', 'rlplan-row');
    var s = el('span', 'rlplan-swatch' + (kind ? ' ' + kind : ''));
    if (kind === 'outline' || kind === 'line') s.style.borderColor = color; else s.style.background = color;
    row.appendChild(s);
    row.appendChild(el('span', null, label));
    return row;
  }

  function kindOf(lc) {
    return lc.outline ? 'outline' : '';
  }

  function legendSection(st) {
    var lc = st.lc, sec = el('div', 'rlplan-legend-layer');
    sec.appendChild(el('div', 'rlplan-legend-title', lc.legend));
    var z = map.getZoom();
    if (st.level < 0) {
      var first = lc.levels.length ? Math.max(lc.minZoom, lc.levels[0].minZoom) : lc.minZoom;
      sec.appendChild(el('div', 'rlplan-legend-note', z < first ? 'zoom in to see it (from zoom ' + first + ')' : 'zoom out to see it (below zoom ' + lc.maxZoom + ')'));
      return sec;
    }
    var lv = lc.levels[st.level];
    if (lv.label) sec.appendChild(el('div', 'rlplan-legend-note', lv.label));
    if (lc.colorBy) {
      // Classes as thresholds: "< b0", "b0 - b1", ..., "b_last - max"
      // ("\u2265 b_last" when fixed breaks lie above the data).
      var b = lv.breaks || [];
      for (var c = 0; c < lv.colors.length; c++) {
        var label;
        if (c === 0) label = b.length ? '< ' + fmtClass(b[0], lc) : fmtClass(lv.min, lc) + ' \u2013 ' + fmtClass(lv.max, lc);
        else if (c < b.length) label = fmtClass(b[c - 1], lc) + ' \u2013 ' + fmtClass(b[c], lc);
        else label = lv.max >= b[c - 1] ? fmtClass(b[c - 1], lc) + ' \u2013 ' + fmtClass(lv.max, lc) : '\u2265 ' + fmtClass(b[c - 1], lc);
        sec.appendChild(swatch(lv.colors[c], label));
      }
      sec.appendChild(swatch(cfg.noData, 'no data'));
      if (lc.scale) sec.appendChild(el('div', 'rlplan-legend-note', lc.scale + ' classes'));
    } else if (lc.categoryBy) {
      lc.categories.forEach(function (cat) {
        var row = swatch(cat.color, cat.label + ' (' + cat.count + ')', kindOf(lc));
        if (lc.filter) {
          var box = el('input');
          box.type = 'checkbox';
          box.checked = !st.hidden[cat.value];
          box.className = 'rlplan-filter';
          box.setAttribute('data-value', cat.value);
          box.addEventListener('change', function () {
            st.hidden[cat.value] = !box.checked;
            st.built.forEach(function (bl) { if (bl) showItems(st, bl); });
            updateStats();
          });
          row.insertBefore(box, row.firstChild);
        }
        sec.appendChild(row);
      });
    } else {
      var n = st.content ? st.content.shown : 0;
      sec.appendChild(swatch(lc.color, n + (n === 1 ? ' feature' : ' features'), kindOf(lc)));
    }
    if (lc.cluster) sec.appendChild(el('div', 'rlplan-legend-note', 'clusters: count' + (lc.cluster.sum ? ' and ' + (lc.cluster.unit || lc.cluster.sum) : '') + '; click to zoom in'));
    return sec;
  }

  function drawLegend() {
    var d = legend.getContainer();
    if (!d) return;
    d.textContent = '';
    states.forEach(function (st) {
      if (map.hasLayer(st.holder)) d.appendChild(legendSection(st));
    });
    d.style.display = d.firstChild ? '' : 'none';
    fitLegend();
  }

  function fitLegend() {
    var d = legend.getContainer();
    if (!d) return;
    var top = d.getBoundingClientRect().top - map.getContainer().getBoundingClientRect().top;
    d.style.maxHeight = Math.max(80, map.getSize().y - top - 30) + 'px';
  }
  map.on('resize', fitLegend);

  // The KPI panel.
  if (cfg.panel) {
    var panel = L.control({ position: 'topleft' });
    panel.onAdd = function () {
      var d = L.DomUtil.create('div', 'rlplan-panel');
      L.DomEvent.disableClickPropagation(d);
      L.DomEvent.disableScrollPropagation(d);
      var head = el('div', 'rlplan-panel-title', cfg.panel.title || 'Key figures');
      var toggle = el('button', 'rlplan-panel-toggle', '\u2212');
      toggle.type = 'button';
      toggle.title = 'hide or show the figures';
      head.appendChild(toggle);
      d.appendChild(head);
      var t = el('table');
      cfg.panel.rows.forEach(function (r) {
        var tr = el('tr');
        tr.appendChild(el('th', null, r.label));
        var td = el('td', null, r.value);
        if (r.note) td.appendChild(el('div', 'rlplan-panel-note', r.note));
        tr.appendChild(td);
        t.appendChild(tr);
      });
      d.appendChild(t);
      toggle.addEventListener('click', function () {
        var hide = t.style.display !== 'none';
        t.style.display = hide ? 'none' : '';
        toggle.textContent = hide ? '+' : '\u2212';
      });
      return d;
    };
    panel.addTo(map);
  }

  L.control.layers(anyTheme ? themes : null, overlays, { collapsed: false, position: 'topright' }).addTo(map);
  legend.addTo(map);
  if (anyTheme) (shownTheme || noFill).addTo(map);
  states.forEach(function (st) {
    if (st.lc.visible && !st.lc.theme) st.holder.addTo(map);
  });
  map.on('zoomend', function () { update(); });
  update();

  // glyphsMissing reports whether the browser lacks a font for some of
  // text's characters: a character drawn exactly like a private-use one
  // (the "tofu" box) has no glyph in any font of the page's stack.
  function glyphsMissing(text) {
    var c = document.createElement('canvas');
    c.width = c.height = 32;
    var g = c.getContext('2d', { willReadFrequently: true });
    g.font = '24px ' + getComputedStyle(document.body).fontFamily;
    g.textBaseline = 'top';
    function ink(s) {
      g.clearRect(0, 0, 32, 32);
      g.fillText(s, 2, 2);
      var d = g.getImageData(0, 0, 32, 32).data, h = 0;
      for (var k = 3; k < d.length; k += 4) h = (h * 31 + d[k]) | 0;
      return h;
    }
    var tofu = ink('\uE000');
    for (var k = 0; k < text.length; k++) {
      if (ink(text[k]) === tofu) return true;
    }
    return false;
  }
  window.rlplanGlyphsMissing = glyphsMissing;
  if (cfg.glyphs && glyphsMissing(cfg.glyphs)) {
    var note = el('div', 'rlplan-glyph-note', 'This computer has no font for some Chinese characters of this map (' + cfg.glyphs +
      '): names show as boxes. Install a CJK font such as Noto Sans CJK SC (Debian/Ubuntu: fonts-noto-cjk); Windows and macOS include one.');
    note.id = 'rlplan-glyph-note';
    document.body.insertBefore(note, document.getElementById('map'));
    map.invalidateSize();
  }

  timings.script = Math.round(performance.now() - t0);
  window.rlplanTimings = timings;
  window.rlplanStats = stats;
  window.rlplanMap = map;
  // The tests compare this with the Go mirror of the format (pack_test.go).
  window.rlplanUnpack = function (id) { return unpack(readJSON(id)); };
  window.rlplanView = function () {
    var v = { zoom: map.getZoom(), on: {}, levels: {}, clusters: {} };
    states.forEach(function (st) {
      v.on[st.lc.name] = map.hasLayer(st.holder);
      v.levels[st.lc.name] = st.level;
      if (!st.lc.cluster) return;
      // What the cluster group shows in the view (markercluster 1.5.3 keeps
      // it in _featureGroup): cluster icons, the points they stand for, and
      // unclustered markers.
      var c = { icons: 0, points: 0, singles: 0 };
      if (st.content && map.hasLayer(st.holder)) {
        st.content.group._featureGroup.eachLayer(function (l) {
          if (l instanceof L.MarkerCluster) { c.icons++; c.points += l.getChildCount(); } else c.singles++;
        });
      }
      v.clusters[st.lc.name] = c;
    });
    return v;
  };
  // Ready once the canvas has painted: Leaflet redraws on an animation frame.
  requestAnimationFrame(function () {
    requestAnimationFrame(function () { window.rlplanReady = true; });
  });
})();
