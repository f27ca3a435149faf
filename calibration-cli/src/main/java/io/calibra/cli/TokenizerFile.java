package io.calibra.cli;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.calibra.backend.http.LabelTokenizer;
import io.calibra.io.DataFileException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * A Hugging Face tokenizer.json as the chat scorer's {@link LabelTokenizer} ({@code score
 * --tokenizer}). The native tokenizer lives as long as the command.
 */
final class TokenizerFile implements LabelTokenizer {
  private final HuggingFaceTokenizer tokenizer;

  private TokenizerFile(HuggingFaceTokenizer tokenizer) {
    this.tokenizer = tokenizer;
  }

  /**
   * Loads the tokenizer.json {@code json}, read from {@code file} (its name in messages).
   *
   * @throws DataFileException if it is not a tokenizer.json
   */
  static TokenizerFile parse(byte[] json, Path file) {
    if (json.length == 0) {
      throw new DataFileException(file, 0, 0, "cannot load tokenizer (the file is empty)");
    }
    try {
      return new TokenizerFile(
          HuggingFaceTokenizer.newInstance(
              new ByteArrayInputStream(json),
              Map.of("addSpecialTokens", "false", "padding", "false", "truncation", "false")));
    } catch (IOException | RuntimeException e) {
      throw new DataFileException(
          file, 0, 0, "cannot load tokenizer (not a valid tokenizer.json?): " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized long[] encode(String text) {
    return tokenizer.encode(text).getIds();
  }

  @Override
  public synchronized String decode(long id) {
    return tokenizer.decode(new long[] {id}, false);
  }
}
