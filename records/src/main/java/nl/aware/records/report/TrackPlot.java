package nl.aware.records.report;

import java.util.ArrayList;
import java.util.List;

/**
 * A map-like drawing of a location track without any map tiles: the fixes projected to metres around
 * their centre (equirectangular; exact enough over the few kilometres of a track), fitted into a box
 * with equal scale on both axes, with accuracy circles, a grid, a scale bar and a north arrow. Holds
 * coordinates in the box's units with y growing downwards; the SVG and PDF writers only draw them.
 */
final class TrackPlot {
    private static final double METRES_PER_DEGREE_LAT = 110_574;
    private static final double METRES_PER_DEGREE_LON_EQUATOR = 111_320;
    /** A single point or a tight cluster is still shown at a readable scale. */
    private static final double MIN_SPAN_M = 120;

    /** One fix: its number in the track table, position and accuracy radius in box units. */
    record Dot(int number, double x, double y, double radius, boolean first, boolean last) {
    }

    /** The scale bar: from (x, y) to (x + length, y), standing for {@code metres}. */
    record ScaleBar(double x, double y, double length, int metres) {
    }

    /** A fix to draw: latitude, longitude (degrees), accuracy in metres (0 when unknown). */
    record Fix(int number, double latitude, double longitude, double accuracyM) {
    }

    final double width;
    final double height;
    final List<Dot> dots;
    final ScaleBar scaleBar;
    /** Positions of the grid lines (one every scale-bar length). */
    final List<Double> gridX;
    final List<Double> gridY;

    private TrackPlot(double width, double height, List<Dot> dots, ScaleBar scaleBar, List<Double> gridX,
                      List<Double> gridY) {
        this.width = width;
        this.height = height;
        this.dots = dots;
        this.scaleBar = scaleBar;
        this.gridX = gridX;
        this.gridY = gridY;
    }

    static TrackPlot of(List<Fix> fixes, double width, double height) {
        if (fixes.isEmpty()) {
            throw new IllegalArgumentException("a track plot needs at least one fix");
        }
        double lat0 = fixes.stream().mapToDouble(Fix::latitude).average().orElseThrow();
        double lon0 = fixes.stream().mapToDouble(Fix::longitude).average().orElseThrow();
        double lonScale = METRES_PER_DEGREE_LON_EQUATOR * Math.cos(Math.toRadians(lat0));
        double[] mx = new double[fixes.size()];
        double[] my = new double[fixes.size()];
        double minX = Double.MAX_VALUE, maxX = -Double.MAX_VALUE, minY = Double.MAX_VALUE, maxY = -Double.MAX_VALUE;
        for (int i = 0; i < fixes.size(); i++) {
            Fix f = fixes.get(i);
            mx[i] = (f.longitude() - lon0) * lonScale;
            my[i] = (f.latitude() - lat0) * METRES_PER_DEGREE_LAT;
            minX = Math.min(minX, mx[i] - f.accuracyM());
            maxX = Math.max(maxX, mx[i] + f.accuracyM());
            minY = Math.min(minY, my[i] - f.accuracyM());
            maxY = Math.max(maxY, my[i] + f.accuracyM());
        }
        double spanX = Math.max(maxX - minX, MIN_SPAN_M);
        double spanY = Math.max(maxY - minY, MIN_SPAN_M);
        double pad = 0.08 * Math.min(width, height);
        double scale = Math.min((width - 2 * pad) / spanX, (height - 2 * pad - 0.1 * height) / spanY); // units per metre
        double cx = (minX + maxX) / 2;
        double cy = (minY + maxY) / 2;
        double originX = width / 2 - cx * scale;
        double originY = height / 2 - 0.04 * height + cy * scale; // a little room at the bottom for the scale bar
        List<Dot> dots = new ArrayList<>();
        for (int i = 0; i < fixes.size(); i++) {
            dots.add(new Dot(fixes.get(i).number(), originX + mx[i] * scale, originY - my[i] * scale,
                    fixes.get(i).accuracyM() * scale, i == 0, i == fixes.size() - 1));
        }
        int metres = niceMetres(0.28 * width / scale);
        double length = metres * scale;
        ScaleBar bar = new ScaleBar(0.05 * width, height - 0.06 * height, length, metres);
        List<Double> gridX = new ArrayList<>();
        for (double x = ((originX % length) + length) % length; x < width; x += length) {
            gridX.add(x);
        }
        List<Double> gridY = new ArrayList<>();
        for (double y = ((originY % length) + length) % length; y < height; y += length) {
            gridY.add(y);
        }
        return new TrackPlot(width, height, List.copyOf(dots), bar, List.copyOf(gridX), List.copyOf(gridY));
    }

    /** The largest 1, 2 or 5 × 10^k metres not above {@code max} (at least 1 m). */
    static int niceMetres(double max) {
        int best = 1;
        for (long p = 1; p <= 1_000_000; p *= 10) {
            for (int m : new int[] {1, 2, 5}) {
                if (m * p <= max) {
                    best = (int) (m * p);
                }
            }
        }
        return best;
    }

    /** "200 m" or "2 km". */
    static String label(int metres) {
        return metres >= 1000 && metres % 1000 == 0 ? metres / 1000 + " km" : metres + " m";
    }
}
