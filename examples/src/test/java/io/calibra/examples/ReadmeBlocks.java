package io.calibra.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The Java code blocks of README.md and docs/*.md against the marked regions of the examples'
 * sources. A block is announced by the line {@code <!-- region NAME -->} right above its {@code
 * ```java} fence, and {@code // region NAME} ... {@code // endregion} in a source file holds the
 * same code. Only indentation is normalised: trailing spaces, leading and trailing blank lines and
 * the indentation common to every line.
 */
final class ReadmeBlocks {
  static final Pattern README_MARKER = Pattern.compile("^<!-- region (\\S+) -->$");
  static final Pattern SOURCE_START = Pattern.compile("^\\s*// region (\\S+)\\s*$");
  static final Pattern SOURCE_END = Pattern.compile("^\\s*// endregion\\s*$");

  /** A fenced Java block: the 1-based line of its fence, its region name (or null) and its code. */
  record Block(int line, String region, List<String> code) {}

  private ReadmeBlocks() {}

  /** The Java blocks of a Markdown text, in order. */
  static List<Block> javaBlocks(List<String> markdown) {
    List<Block> out = new ArrayList<>();
    for (int i = 0; i < markdown.size(); i++) {
      if (!markdown.get(i).strip().equals("```java")) {
        continue;
      }
      String region = null;
      if (i > 0) {
        Matcher m = README_MARKER.matcher(markdown.get(i - 1).strip());
        if (m.matches()) {
          region = m.group(1);
        }
      }
      List<String> code = new ArrayList<>();
      int j = i + 1;
      while (j < markdown.size() && !markdown.get(j).strip().equals("```")) {
        code.add(markdown.get(j));
        j++;
      }
      if (j == markdown.size()) {
        throw new IllegalArgumentException("README line " + (i + 1) + ": unclosed ```java block");
      }
      out.add(new Block(i + 1, region, code));
      i = j;
    }
    return out;
  }

  /** Every region of the Java sources under {@code root}, by name. */
  static Map<String, List<String>> regions(Path root) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
        out.putAll(regions(file, Files.readAllLines(file, StandardCharsets.UTF_8)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** The regions of one source text. */
  static Map<String, List<String>> regions(Path file, List<String> lines) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      Matcher m = SOURCE_START.matcher(lines.get(i));
      if (!m.matches()) {
        continue;
      }
      List<String> code = new ArrayList<>();
      int j = i + 1;
      while (j < lines.size() && !SOURCE_END.matcher(lines.get(j)).matches()) {
        code.add(lines.get(j));
        j++;
      }
      if (j == lines.size()) {
        throw new IllegalArgumentException(file + ":" + (i + 1) + ": region without // endregion");
      }
      if (out.put(m.group(1), code) != null) {
        throw new IllegalArgumentException(
            file + ":" + (i + 1) + ": region " + m.group(1) + " twice");
      }
      i = j;
    }
    return out;
  }

  /** Lines without trailing spaces, outer blank lines and their common indentation. */
  static List<String> normalise(List<String> lines) {
    List<String> out = new ArrayList<>();
    for (String line : lines) {
      out.add(line.stripTrailing());
    }
    while (!out.isEmpty() && out.get(0).isEmpty()) {
      out.remove(0);
    }
    while (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) {
      out.remove(out.size() - 1);
    }
    int indent = Integer.MAX_VALUE;
    for (String line : out) {
      if (!line.isEmpty()) {
        indent = Math.min(indent, line.length() - line.stripLeading().length());
      }
    }
    List<String> result = new ArrayList<>();
    for (String line : out) {
      result.add(line.isEmpty() ? line : line.substring(indent));
    }
    return result;
  }

  /**
   * What is wrong in one Markdown document ({@code name} in messages): see {@link #problems(Map,
   * Map)}.
   */
  static List<String> problems(List<String> markdown, Map<String, List<String>> regions) {
    return problems(Map.of("README", markdown), regions);
  }

  /**
   * What is wrong across Markdown documents (by name, in the order given): a Java block without a
   * region, a region that does not exist, a block that differs from its region (naming the first
   * differing line), a region used twice or never (a region named {@code readme-...} or {@code
   * docs-...} must appear in some document).
   */
  static List<String> problems(
      Map<String, List<String>> documents, Map<String, List<String>> regions) {
    List<String> problems = new ArrayList<>();
    Map<String, String> used = new LinkedHashMap<>();
    for (Map.Entry<String, List<String>> doc : documents.entrySet()) {
      String name = doc.getKey();
      for (Block b : javaBlocks(doc.getValue())) {
        String where = name + " line " + b.line();
        if (b.region() == null) {
          problems.add(
              where
                  + ": a ```java block without a region; put <!-- region NAME --> above it and the"
                  + " code in examples between // region NAME and // endregion");
          continue;
        }
        String before = used.put(b.region(), where);
        if (before != null) {
          problems.add(where + ": region " + b.region() + " already used at " + before);
        }
        List<String> want = regions.get(b.region());
        if (want == null) {
          problems.add(where + ": no region " + b.region() + " in examples");
          continue;
        }
        List<String> got = normalise(b.code());
        List<String> expected = normalise(want);
        if (!got.equals(expected)) {
          int k = 0;
          while (k < got.size() && k < expected.size() && got.get(k).equals(expected.get(k))) {
            k++;
          }
          problems.add(
              name
                  + " line "
                  + (b.line() + 1 + k)
                  + ": block differs from region "
                  + b.region()
                  + " at its line "
                  + (k + 1)
                  + ": the document has '"
                  + (k < got.size() ? got.get(k) : "<end of block>")
                  + "', the region has '"
                  + (k < expected.size() ? expected.get(k) : "<end of region>")
                  + "'");
        }
      }
    }
    for (String region : regions.keySet()) {
      if ((region.startsWith("readme-") || region.startsWith("docs-"))
          && !used.containsKey(region)) {
        problems.add("region " + region + " is in examples but in no document's block");
      }
    }
    return problems;
  }
}
