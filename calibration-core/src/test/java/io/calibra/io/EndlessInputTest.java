package io.calibra.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * An endless input (standard input fed from /dev/zero, a FIFO that never closes) ends at a bound
 * with a DataFileException, instead of filling memory: a CSV record at {@link
 * CsvReader#MAX_RECORD_CHARS} characters, a JSON stream at its size limit.
 */
class EndlessInputTest {
  /** Zero bytes without end, counting how many were read. */
  private static final class Zeros extends InputStream {
    long read;

    @Override
    public int read() {
      read++;
      return 0;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      java.util.Arrays.fill(b, off, off + len, (byte) 0);
      read += len;
      return len;
    }
  }

  @Test
  void aCsvRecordWithoutEndIsBadDataAtTheRecordBound() {
    Zeros zeros = new Zeros();
    Path name = Path.of("standard input");
    try (CsvReader csv = new CsvReader(zeros, name)) {
      assertThatThrownBy(csv::next)
          .isInstanceOf(DataFileException.class)
          .hasMessage(
              "standard input:1: a record longer than 67108864 characters (no line break); is this"
                  + " a CSV file?");
    }
    // read up to the bound and one buffer past it, not more
    assertThat(zeros.read)
        .isBetween((long) CsvReader.MAX_RECORD_CHARS, CsvReader.MAX_RECORD_CHARS + 65536L);
  }

  @Test
  void aJsonStreamWithoutEndIsBadDataAtTheSizeLimit() {
    Zeros zeros = new Zeros();
    assertThatThrownBy(() -> StrictJson.readStream(zeros, Path.of("/dev/zero"), 1000))
        .isInstanceOf(DataFileException.class)
        .hasMessageStartingWith("/dev/zero: the file has more bytes, over the size limit of 1000");
    assertThat(zeros.read).isEqualTo(1001);
  }

  @Test
  void aJsonStreamAtTheLimitIsRead() {
    byte[] bytes =
        StrictJson.readStream(new java.io.ByteArrayInputStream(new byte[1000]), Path.of("x"), 1000);
    assertThat(bytes).hasSize(1000);
  }
}
