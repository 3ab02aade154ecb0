package casastream.bench;

import casastream.model.CasaConfig;
import casastream.model.text.Tokenizer;

/**
 * How many greedy decoding steps a frame's texts took: the caption's tokens and its end token, the
 * events' tokens (the model writes "none" when nothing happened) and their end token, each bounded
 * by its segment. What a frame costs depends on it: an empty scene decodes a few tokens, a busy one
 * tens.
 */
final class GeneratedTokens {

  private final Tokenizer tokenizer;
  private final CasaConfig config;

  GeneratedTokens(Tokenizer tokenizer, CasaConfig config) {
    this.tokenizer = tokenizer;
    this.config = config;
  }

  /** Greedy steps of the caption segment. */
  int captionSteps(String caption) {
    return Math.min(config.textTail() - 1, tokenizer.encode(caption).length + 1);
  }

  /** Greedy steps of the events segment; {@code events} empty or null when nothing happened. */
  int eventSteps(String events) {
    int words = events == null || events.isBlank() ? 1 : tokenizer.encode(events).length;
    return Math.min(config.eventTokens() - 1, words + 1);
  }

  /** Both segments' steps. */
  int of(String caption, String events) {
    return captionSteps(caption) + eventSteps(events);
  }
}
