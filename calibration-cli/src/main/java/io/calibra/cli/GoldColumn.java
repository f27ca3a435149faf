package io.calibra.cli;

import java.util.List;

/**
 * Which column of a CSV of texts holds the gold labels: {@code label}, or without one {@code gold}.
 * The same rule for the texts {@code score} and {@code sensitivity} read and for {@code sensitivity
 * --demonstrations}, so a labelled file serves as any of them.
 */
final class GoldColumn {
  /** The names a gold column may have, the preferred first. */
  static final List<String> NAMES = List.of("label", "gold");

  private GoldColumn() {}

  /** The 0-based position of the gold column in {@code header}, or -1 when it has none. */
  static int in(List<String> header) {
    for (String name : NAMES) {
      int i = header.indexOf(name);
      if (i >= 0) {
        return i;
      }
    }
    return -1;
  }
}
