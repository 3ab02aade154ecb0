package casastream.bench;

import casastream.model.CasaConfig;
import casastream.model.FusionContext;

/**
 * Multiply-add FLOPs (2 per multiply-add) of one frame, computed from the model's config as the
 * batched greedy decoder runs it: the vision stem and encoder, the fusion layers' image keys and
 * values, then every decoded window token through every layer (attention over the memory's fixed
 * slots and the window so far) and the output head for every greedy step. Only matrix products
 * are counted (norms, softmax and activations are a few percent at this width); the one-hot
 * embedding product is counted apart, since a lookup would do its work for free.
 *
 * <p>Tokens of one frame without standing questions: the prefix chunk (k gist slots and the
 * caption marker), c caption steps, the events marker, e events steps.
 */
public final class ModelFlops {

  private final CasaConfig c;
  private final long d;
  private final long ffn;
  private final long p;

  public ModelFlops(CasaConfig config) {
    this.c = config;
    this.d = config.width();
    this.ffn = (long) config.ffnMultiplier() * config.width();
    this.p = config.imageTokens();
  }

  /** Vision stem, vision layers and the image keys/values of every fusion layer. */
  public double vision() {
    long s = c.imageSize();
    long c1 = c.stemChannels();
    long last = c.patchSize() / 4;
    double stem = 2.0 * c1 * 3 * 9 * (s / 2) * (s / 2)
        + 2.0 * (2 * c1) * c1 * 9 * (s / 4) * (s / 4)
        + 2.0 * d * (2 * c1) * last * last * p;
    double layer = 2.0 * p * d * 3 * d + 2.0 * 2 * p * p * d + 2.0 * p * d * d + 2.0 * 2 * p * d * ffn;
    double imageKeys = 0;
    for (int l = 0; l < c.decoderLayers(); l++) {
      if (c.hasFusion(l)) {
        imageKeys += 2.0 * p * d * 2 * d + (c.imageTokenFfn() ? 2.0 * 2 * p * d * ffn : 0);
      }
    }
    return stem + c.visionLayers() * layer + imageKeys;
  }

  /**
   * The decoder's FLOPs for one frame.
   *
   * @param captionSteps greedy steps of the caption segment (words + EOS, at most textTail - 1)
   * @param eventSteps   greedy steps of the events segment (at most eventTokens - 1)
   */
  public double decoder(int captionSteps, int eventSteps) {
    int prefix = c.gistTokens() + 1;
    double flops = chunk(prefix, prefix);
    int fed = prefix;
    for (int i = 0; i < captionSteps; i++) {
      fed++;
      flops += chunk(1, fed);
    }
    fed++; // the events marker
    flops += chunk(1, fed);
    for (int i = 0; i < eventSteps; i++) {
      fed++;
      flops += chunk(1, fed);
    }
    return flops + (captionSteps + eventSteps) * head();
  }

  /** vision() + decoder(): one frame of one stream. */
  public double perFrame(int captionSteps, int eventSteps) {
    return vision() + decoder(captionSteps, eventSteps);
  }

  /** A frame whose caption and events run to the last position of their segments: the most a frame costs. */
  public double perFrameFullWindow() {
    return perFrame(c.textTail() - 1, c.eventTokens() - 1);
  }

  /** The one-hot embedding product of one fed token (work an index lookup would avoid). */
  public double embeddingPerToken() {
    return 2.0 * (c.vocabSize() + c.gistTokens()) * d;
  }

  /** Output head for one greedy step: hidden (1,D) times the tied embedding (D,V). */
  private double head() {
    return 2.0 * d * c.vocabSize();
  }

  /** n tokens fed as one chunk, after which the window holds {@code fedAfter} tokens. */
  private double chunk(int n, int fedAfter) {
    double flops = 0;
    long selfKeys = c.memoryEntries() + fedAfter;
    long fusionKeys = p + (c.fusionContext() == FusionContext.TEXT_AND_IMAGE ? fedAfter : 0);
    for (int l = 0; l < c.decoderLayers(); l++) {
      boolean self = c.hasSelfAttention(l);
      boolean fusion = c.hasFusion(l);
      if (self) {
        flops += 2.0 * n * d * 3 * d + 2.0 * 2 * n * selfKeys * d + 2.0 * n * d * d;
      }
      if (fusion) {
        boolean ownProjections = !(c.sharedFusionProjections() && self);
        flops += (ownProjections ? 2.0 * n * d * 3 * d : 0) + 2.0 * 2 * n * fusionKeys * d + 2.0 * n * d * d;
      }
      flops += 2.0 * 2 * n * d * ffn;
    }
    return flops;
  }
}
