// The alert's track on a map. Tiles come from the deployment's tile server (a setting; PDOK by
// default). When none can be fetched - no internet, a closed firewall - the track still draws, on a
// plain grid with a scale bar, and the page says the background is missing.
import { t } from './i18n.js';
import { h } from './dom.js';

let settings = null;

async function mapSettings() {
  if (!settings) {
    const response = await fetch('/console/settings.json', { cache: 'no-store' });
    settings = await response.json();
  }
  return settings;
}

const TILE_WAIT_MS = 4000;

/** Draws the points that have a fix into a new map; returns the element (map + notes). */
export async function trackMap(points) {
  const fixes = points.filter((p) => p.hasFix && typeof p.latitude === 'number' && typeof p.longitude === 'number');
  const canvas = h('div', { class: 'map', id: 'track-map', role: 'region', 'aria-label': t('map.label') });
  const note = h('p', { class: 'hint', id: 'map-note', 'aria-live': 'polite' });
  const legend = h('p', { class: 'map-legend hint' }, h('span', { class: 'dot dot--press' }), t('map.legend.press'), '  ',
    h('span', { class: 'dot dot--track' }), t('map.legend.track'));
  const wrapper = h('div', {}, legend, canvas, note);
  if (!fixes.length) {
    canvas.classList.add('map--no-tiles');
    note.textContent = t('map.nofix');
    return wrapper;
  }
  const L = window.L;
  const { tileUrl, attribution } = await mapSettings();
  // Leaflet measures its container: draw once the element is in the page.
  requestAnimationFrame(() => {
    const map = L.map(canvas, { zoomControl: true, attributionControl: true });
    map.attributionControl.setPrefix(false);
    let loaded = 0;
    let failed = 0;
    const tiles = L.tileLayer(tileUrl, { maxZoom: 19, attribution, crossOrigin: false });
    const noTiles = () => {
      if (loaded === 0) {
        canvas.classList.add('map--no-tiles');
        note.textContent = t('map.notiles');
        canvas.setAttribute('data-tiles', 'none');
      }
    };
    tiles.on('tileload', () => { loaded += 1; canvas.setAttribute('data-tiles', 'loaded'); note.textContent = ''; });
    tiles.on('tileerror', () => { failed += 1; if (failed >= 1) noTiles(); });
    setTimeout(noTiles, TILE_WAIT_MS);
    tiles.addTo(map);
    L.control.scale({ imperial: false, metric: true, maxWidth: 160 }).addTo(map);
    const line = fixes.map((p) => [p.latitude, p.longitude]);
    if (line.length > 1) L.polyline(line, { color: '#1d4f91', weight: 4 }).addTo(map);
    fixes.forEach((p, i) => {
      if (p.accuracyM) L.circle([p.latitude, p.longitude], { radius: p.accuracyM, color: '#1d4f91', weight: 1, fillOpacity: 0.08 }).addTo(map);
      L.circleMarker([p.latitude, p.longitude], {
        radius: i === 0 ? 9 : 6, color: '#fff', weight: 2, fillColor: i === 0 ? '#b10e1e' : '#1d4f91', fillOpacity: 1
      }).addTo(map);
    });
    if (line.length === 1) map.setView(line[0], 16);
    else map.fitBounds(L.latLngBounds(line).pad(0.3), { maxZoom: 17 });
    canvas.setAttribute('data-track-points', String(fixes.length));
  });
  return wrapper;
}
