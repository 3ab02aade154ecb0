package casastream.model.world;

import casastream.model.text.WorldText;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes a PNG contact sheet of a stream's first frames, each enlarged with its caption and events
 * underneath, so people can check by eye that shapes are recognisable and the texts are true.
 * Also prints the world's statistics and generation speed.
 *
 * <p>Usage: {@code WorldContactSheet [seed] [frames] [output.png]}; defaults 1, 16,
 * target/world-sheet-SEED.png.
 */
public final class WorldContactSheet {

    private static final int SCALE = 4;
    private static final int COLUMNS = 4;
    private static final int TEXT_LINES = 4;
    private static final int LINE_HEIGHT = 13;

    private WorldContactSheet() {
    }

    public static void main(String[] args) throws IOException {
        long seed = args.length > 0 ? Long.parseLong(args[0]) : 1;
        int frames = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        Path out = Path.of(args.length > 2 ? args[2] : "target/world-sheet-" + seed + ".png");
        WorldConfig config = WorldConfig.defaults();
        List<WorldFrame> stream = new CameraWorld(config, seed).next(frames);
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        ImageIO.write(sheet(stream), "png", out.toFile());
        System.out.println("wrote " + out.toAbsolutePath());

        long start = System.nanoTime();
        WorldStatistics stats = WorldStatistics.measure(config, SeedRanges.TRAIN.first(), 200, 50);
        double micros = (System.nanoTime() - start) / 1e3 / stats.frames();
        System.out.print(stats.describe());
        System.out.printf("generation: %.1f us per %dx%d frame with its ground truth%n", micros, config.width(), config.height());
    }

    /** The sheet image: one cell per frame, COLUMNS per row. */
    public static BufferedImage sheet(List<WorldFrame> frames) {
        if (frames.isEmpty()) {
            throw new IllegalArgumentException("a contact sheet needs at least one frame");
        }
        int frameWidth = frames.get(0).width() * SCALE;
        int cellWidth = Math.max(frameWidth, 240) + 8;
        int cellHeight = frames.get(0).height() * SCALE + TEXT_LINES * LINE_HEIGHT + 8;
        int rows = (frames.size() + COLUMNS - 1) / COLUMNS;
        BufferedImage sheet = new BufferedImage(cellWidth * Math.min(COLUMNS, frames.size()), cellHeight * rows, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = sheet.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, sheet.getWidth(), sheet.getHeight());
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        for (int i = 0; i < frames.size(); i++) {
            WorldFrame frame = frames.get(i);
            int x = (i % COLUMNS) * cellWidth + 4;
            int y = (i / COLUMNS) * cellHeight + 4;
            g.drawImage(enlarged(frame), x, y, null);
            g.setColor(Color.BLACK);
            int textY = y + frame.height() * SCALE + LINE_HEIGHT - 2;
            g.drawString("#" + frame.index() + " " + frame.caption(), x, textY);
            List<String> events = frame.events();
            int shown = Math.min(events.size(), TEXT_LINES - 1);
            for (int e = 0; e < shown; e++) {
                g.drawString(e == shown - 1 && events.size() > shown ? events.get(e) + " ..." : events.get(e),
                        x, textY + (e + 1) * LINE_HEIGHT);
            }
            if (events.isEmpty()) {
                g.drawString(WorldText.NO_EVENTS, x, textY + LINE_HEIGHT);
            }
        }
        g.dispose();
        return sheet;
    }

    private static BufferedImage enlarged(WorldFrame frame) {
        BufferedImage image = new BufferedImage(frame.width() * SCALE, frame.height() * SCALE, BufferedImage.TYPE_INT_RGB);
        byte[] rgb = frame.rgb();
        for (int r = 0; r < frame.height(); r++) {
            for (int c = 0; c < frame.width(); c++) {
                int p = (r * frame.width() + c) * 3;
                int colour = (rgb[p] & 0xFF) << 16 | (rgb[p + 1] & 0xFF) << 8 | (rgb[p + 2] & 0xFF);
                for (int dy = 0; dy < SCALE; dy++) {
                    for (int dx = 0; dx < SCALE; dx++) {
                        image.setRGB(c * SCALE + dx, r * SCALE + dy, colour);
                    }
                }
            }
        }
        return image;
    }
}
