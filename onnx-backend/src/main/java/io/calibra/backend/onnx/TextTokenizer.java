package io.calibra.backend.onnx;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Map;

/**
 * A Hugging Face {@code tokenizer.json} loaded through DJL, with padding and truncation turned off:
 * calibra pads batches itself and reports over-long prompts rather than cutting them.
 */
final class TextTokenizer implements AutoCloseable {
  private final String name;
  private final HuggingFaceTokenizer withSpecial;
  private final HuggingFaceTokenizer plain;

  private TextTokenizer(String name, HuggingFaceTokenizer withSpecial, HuggingFaceTokenizer plain) {
    this.name = name;
    this.withSpecial = withSpecial;
    this.plain = plain;
  }

  /**
   * Loads a tokenizer.
   *
   * @throws IllegalArgumentException naming the file if it is empty or not a valid tokenizer.json
   */
  static TextTokenizer load(String name, byte[] json) {
    if (json.length == 0) {
      throw new IllegalArgumentException("tokenizer " + name + " is empty (0 bytes)");
    }
    DjlStartup.quiet();
    try {
      return new TextTokenizer(name, create(json, true), create(json, false));
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(
          "cannot load tokenizer " + name + " (not a valid tokenizer.json?): " + e.getMessage(), e);
    }
  }

  private static HuggingFaceTokenizer create(byte[] json, boolean special) throws IOException {
    return HuggingFaceTokenizer.newInstance(
        new ByteArrayInputStream(json),
        Map.of(
            "addSpecialTokens", String.valueOf(special),
            "padding", "false",
            "truncation", "false"));
  }

  /** Token ids with the tokenizer's special tokens (such as [CLS] and [SEP]). */
  Encoding encode(String text) {
    return withSpecial.encode(text);
  }

  /** Token ids without special tokens. */
  long[] idsWithoutSpecialTokens(String text) {
    return plain.encode(text).getIds();
  }

  /** The text of token ids (special tokens kept as their text). */
  String decode(long[] ids) {
    return plain.decode(ids, false);
  }

  /** The id of a token string, or -1 if the vocabulary lacks it. */
  long tokenId(String token) {
    Encoding e = plain.encode(token);
    long[] ids = e.getIds();
    String[] tokens = e.getTokens();
    return ids.length == 1 && tokens[0].equals(token) ? ids[0] : -1;
  }

  String name() {
    return name;
  }

  @Override
  public void close() {
    withSpecial.close();
    plain.close();
  }
}
