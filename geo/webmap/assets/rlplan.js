// rlplan map page script (geo/webmap). Reads the JSON elements written by
// webmap.Write, draws them with Leaflet on one canvas, and reports
// window.rlplanStats = {layer name: features drawn} and
// window.rlplanReady = true for automated checks. It builds popups and the
// legend with textContent only, so property values are never parsed as HTML.
(function () {
  'use strict';

  function readJSON(id) {
    return JSON.parse(document.getElementById(id).textContent);
  }

  // unpack turns the packed form written by webmap (see pack.go) back into
  // a GeoJSON FeatureCollection.
  function unpack(p) {
    if (p.packed !== 1) throw new Error('rlplan: unknown data format ' + p.packed);
    var s = p.scale, keys = p.keys, n = p.geom.length, feats = new Array(n);
    function run(a, ring) {
      var out = [], x = 0, y = 0;
      for (var j = 0; j + 1 < a.length; j += 2) {
        x += a[j]; y += a[j + 1];
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
      if (c === 1) coords = [g[1] / s, g[2] / s];
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

  function fmt(x) {
    if (typeof x !== 'number' || !isFinite(x)) return String(x);
    return String(Number(x.toPrecision(3)));
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

  function colorOf(lc, props, noData) {
    if (!lc.colorBy) return lc.color;
    var v = props ? props[lc.colorBy] : undefined;
    if (typeof v !== 'number' || !isFinite(v)) return noData;
    return lc.colors[classOf(lc.breaks || [], v)];
  }

  function popupContent(props, fields) {
    var box = el('div', 'rlplan-popup');
    var t = el('table');
    var keys = fields || Object.keys(props || {});
    keys.forEach(function (k) {
      if (!props || !Object.prototype.hasOwnProperty.call(props, k)) return;
      var v = props[k];
      var tr = el('tr');
      tr.appendChild(el('th', null, k));
      tr.appendChild(el('td', null, typeof v === 'number' ? String(v)
        : (v !== null && typeof v === 'object') ? JSON.stringify(v) : String(v)));
      t.appendChild(tr);
    });
    if (!t.firstChild) box.appendChild(el('em', null, 'no properties'));
    box.appendChild(t);
    return box;
  }

  var cfg = readJSON('rlplan-config');
  var renderer = L.canvas({ padding: 0.5 });
  var map = L.map('map', { preferCanvas: true, renderer: renderer, zoomSnap: 0.25 });
  // Plain-text prefix: the page links to nothing.
  map.attributionControl.setPrefix('Leaflet 1.9.4');
  L.control.scale({ imperial: false, maxWidth: 160 }).addTo(map);

  var stats = {};
  var overlays = {};
  var byName = {};
  var fit = L.latLngBounds([]);

  if (cfg.base) {
    var base = L.geoJSON(unpack(readJSON('rlplan-base')), {
      renderer: renderer,
      style: { color: '#8c8c8c', weight: 0.8, fillColor: '#e6e6e6', fillOpacity: 1 },
      onEachFeature: function (f, lyr) {
        lyr.bindPopup(function () { return popupContent(f.properties, null); });
      }
    }).addTo(map);
    stats[cfg.base.name] = base.getLayers().length;
    overlays[cfg.base.name] = base;
    if (!cfg.fitLayers && base.getLayers().length) fit.extend(base.getBounds());
  }

  cfg.layers.forEach(function (lc, i) {
    var layer = L.geoJSON(unpack(readJSON('rlplan-layer-' + i)), {
      renderer: renderer,
      style: function (f) {
        var c = colorOf(lc, f.properties, cfg.noData);
        var line = f.geometry && /LineString/.test(f.geometry.type);
        if (line) return { color: c, weight: 2.5, opacity: 0.9 };
        if (lc.outline) return { color: c, weight: 1.5, fill: false };
        // Outlining tens of thousands of cells roughly doubles the canvas
        // redraw time and shows as grey noise at national zoom: skip it.
        return {
          stroke: !(lc.colorBy && lc.features > 20000),
          color: lc.colorBy ? '#555' : c, weight: lc.colorBy ? 0.3 : 1,
          fillColor: c, fillOpacity: 0.7
        };
      },
      pointToLayer: function (f, latlng) {
        var c = colorOf(lc, f.properties, cfg.noData);
        return L.circleMarker(latlng, {
          renderer: renderer, radius: lc.radius, color: '#333', weight: 0.8,
          fillColor: c, fillOpacity: 0.9
        });
      },
      onEachFeature: function (f, lyr) {
        lyr.bindPopup(function () { return popupContent(f.properties, lc.popup); });
      }
    });
    var n = layer.getLayers().length;
    stats[lc.name] = n;
    overlays[lc.name] = layer;
    byName[lc.name] = lc;
    if (lc.visible) layer.addTo(map);
    if (n) fit.extend(layer.getBounds());
  });

  L.control.layers(null, overlays, { collapsed: false, position: 'topright' }).addTo(map);

  // The legend lists the layers currently switched on.
  var legend = L.control({ position: 'bottomright' });
  legend.onAdd = function () {
    var d = L.DomUtil.create('div', 'rlplan-legend');
    L.DomEvent.disableClickPropagation(d);
    L.DomEvent.disableScrollPropagation(d);
    return d;
  };
  legend.addTo(map);

  function swatch(color, label, kind) {
    var row = el('div', 'rlplan-row');
    var s = el('span', 'rlplan-swatch' + (kind ? ' ' + kind : ''));
    if (kind === 'outline') s.style.borderColor = color; else s.style.background = color;
    row.appendChild(s);
    row.appendChild(el('span', null, label));
    return row;
  }

  function drawLegend() {
    var d = legend.getContainer();
    d.textContent = '';
    cfg.layers.forEach(function (lc) {
      if (!map.hasLayer(overlays[lc.name])) return;
      var sec = el('div', 'rlplan-legend-layer');
      sec.appendChild(el('div', 'rlplan-legend-title', lc.legend));
      if (!lc.colorBy) {
        sec.appendChild(swatch(lc.color, stats[lc.name] + (stats[lc.name] === 1 ? ' feature' : ' features'), lc.outline ? 'outline' : ''));
      } else {
        var b = lc.breaks || [];
        for (var c = 0; c < lc.colors.length; c++) {
          var lo = c === 0 ? lc.min : b[c - 1];
          var hi = c === b.length ? lc.max : b[c];
          sec.appendChild(swatch(lc.colors[c], fmt(lo) + ' \u2013 ' + fmt(hi)));
        }
        sec.appendChild(swatch(cfg.noData, 'no data'));
        sec.appendChild(el('div', 'rlplan-legend-note', lc.scale + ' classes'));
      }
      d.appendChild(sec);
    });
    d.style.display = d.firstChild ? '' : 'none';
  }
  // Re-adding a layer puts it on top of the shared canvas; restore the
  // configured order: base at the back, data layers as listed.
  function restack() {
    cfg.layers.forEach(function (lc) {
      if (map.hasLayer(overlays[lc.name])) overlays[lc.name].bringToFront();
    });
  }
  map.on('overlayadd overlayremove', function () { restack(); drawLegend(); });

  if (fit.isValid()) {
    map.fitBounds(fit, { padding: [20, 20], maxZoom: 12 });
  } else {
    map.setView([35, 105], 4); // mainland China
  }
  drawLegend();

  window.rlplanStats = stats;
  window.rlplanMap = map;
  // Ready once the canvas has painted: Leaflet redraws on an animation frame.
  requestAnimationFrame(function () {
    requestAnimationFrame(function () { window.rlplanReady = true; });
  });
})();
