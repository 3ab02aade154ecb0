package casastream.operators.validation;

import casastream.schemas.DeadLetterReason;
import casastream.schemas.ImageReference;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The encoded image of a frame: its inline bytes, or the file a file: URI points to. Files are
 * read only inside the configured root and never beyond the frame size limit; other URI schemes
 * are refused until a reader for them exists.
 */
final class FrameImageLoader {

  private final int maxBytes;
  private final Optional<Path> root;

  FrameImageLoader(int maxBytes, Optional<Path> root) {
    this.maxBytes = maxBytes;
    this.root = root;
  }

  /** @param image the Frame's image union: a ByteBuffer (inline) or an ImageReference */
  byte[] load(Object image) throws FrameRejection {
    if (image instanceof ByteBuffer inline) {
      byte[] bytes = new byte[inline.remaining()];
      inline.duplicate().get(bytes);
      return bytes;
    }
    if (image instanceof ImageReference reference) {
      return read(reference.getUri());
    }
    throw new FrameRejection(DeadLetterReason.CORRUPT_RECORD,
        "The frame's image is neither inline bytes nor a reference: " + image);
  }

  private byte[] read(String uriText) throws FrameRejection {
    Path file = allowedFile(parse(uriText), uriText);
    try (InputStream in = Files.newInputStream(file)) {
      byte[] bytes = in.readNBytes(maxBytes + 1);
      if (bytes.length > maxBytes) {
        throw new FrameRejection(DeadLetterReason.FRAME_TOO_LARGE, "The image at " + uriText
            + " is larger than the limit of " + maxBytes + " bytes; send smaller images or raise maxFrameBytes");
      }
      return bytes;
    } catch (IOException e) {
      throw new FrameRejection(DeadLetterReason.IMAGE_UNREADABLE,
          "Cannot read the image at " + uriText + ": " + e);
    }
  }

  private static URI parse(String uriText) throws FrameRejection {
    try {
      URI uri = new URI(uriText);
      if (uri.getScheme() == null) {
        throw new FrameRejection(DeadLetterReason.INVALID_URI, "The image reference '" + uriText
            + "' has no scheme; give an absolute URI such as file:///data/cam-7/000123.jpg");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new FrameRejection(DeadLetterReason.INVALID_URI,
          "The image reference is not a valid URI: " + e.getMessage());
    }
  }

  private Path allowedFile(URI uri, String uriText) throws FrameRejection {
    if (!"file".equalsIgnoreCase(uri.getScheme())) {
      throw new FrameRejection(DeadLetterReason.UNSUPPORTED_URI_SCHEME, "The image reference "
          + uriText + " uses the scheme '" + uri.getScheme() + "'; only file: URIs are read,"
          + " send other images inline");
    }
    if (root.isEmpty()) {
      throw new FrameRejection(DeadLetterReason.UNSUPPORTED_URI_SCHEME, "The image reference "
          + uriText + " is a file: URI but file: URIs are disabled; set fileUriRoot to allow them");
    }
    Path file;
    try {
      file = Path.of(uri);
    } catch (IllegalArgumentException e) {
      throw new FrameRejection(DeadLetterReason.INVALID_URI, "The image reference " + uriText
          + " is not a local file URI (" + e.getMessage() + ")");
    }
    try {
      Path real = file.toRealPath();
      if (!real.startsWith(root.get().toRealPath())) {
        throw new FrameRejection(DeadLetterReason.URI_NOT_ALLOWED, "The image reference " + uriText
            + " resolves outside the allowed directory " + root.get());
      }
      return real;
    } catch (IOException e) {
      throw new FrameRejection(DeadLetterReason.IMAGE_UNREADABLE,
          "Cannot read the image at " + uriText + ": " + e);
    }
  }
}
