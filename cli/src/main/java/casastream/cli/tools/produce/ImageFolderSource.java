package casastream.cli.tools.produce;

import casastream.cli.tools.ToolException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * The JPEG and PNG files of one folder, in file-name order, one picture per frame interval (name
 * them 000001.jpg, 000002.jpg ... to fix their order). Files that do not decode are skipped with a
 * warning, so one bad file does not stop a stream.
 */
public final class ImageFolderSource implements FrameSource {

  private final Path folder;
  private final List<Path> files;
  private final double intervalMillis;
  private int position;

  public ImageFolderSource(Path folder, double fps) {
    if (!Files.isDirectory(folder)) {
      throw new ToolException("Image folder " + folder + " does not exist or is not a folder:"
          + " give a folder of .jpg/.jpeg/.png files");
    }
    this.folder = folder;
    this.intervalMillis = 1000.0 / fps;
    try (Stream<Path> listing = Files.list(folder)) {
      this.files = listing.filter(Files::isRegularFile).filter(ImageFolderSource::isImage).sorted().toList();
    } catch (IOException e) {
      throw new ToolException("Cannot list image folder " + folder + ": " + e.getMessage(), e);
    }
    if (files.isEmpty()) {
      throw new ToolException("Image folder " + folder + " holds no .jpg, .jpeg or .png files");
    }
  }

  @Override
  public Optional<SourceImage> next() {
    while (position < files.size()) {
      Path file = files.get(position);
      long media = Math.round(position * intervalMillis);
      position++;
      BufferedImage image = read(file);
      if (image != null) {
        return Optional.of(new SourceImage(image, media));
      }
    }
    return Optional.empty();
  }

  @Override
  public long expectedImages() {
    return files.size();
  }

  @Override
  public String describe() {
    return "images in " + folder;
  }

  @Override
  public void close() {}

  private static BufferedImage read(Path file) {
    try {
      BufferedImage image = ImageIO.read(file.toFile());
      if (image == null) {
        System.err.println("casa-stream: skipping " + file + ": not a readable JPEG or PNG image");
      }
      return image;
    } catch (IOException | RuntimeException e) {
      System.err.println("casa-stream: skipping " + file + ": " + e.getMessage());
      return null;
    }
  }

  private static boolean isImage(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    return name.endsWith(".jpg") || name.endsWith(".jpeg") || name.endsWith(".png");
  }
}
