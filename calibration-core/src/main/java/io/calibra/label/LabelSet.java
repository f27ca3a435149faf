package io.calibra.label;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * An ordered set of labels, each with one or more verbalizer words: the words a language model is
 * asked to produce for that label (for example {@code negative -> " terrible", " bad"}).
 *
 * <p>Label order is significant: every score vector and distribution in calibra is indexed by it.
 * Instances are immutable and thread-safe; two label sets are equal when their names and words are
 * equal, in order.
 */
public final class LabelSet implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  private final List<String> names;
  private final List<List<String>> words;
  private final Map<String, Integer> indexByName;

  private LabelSet(List<String> names, List<List<String>> words) {
    if (names.isEmpty()) {
      throw new IllegalArgumentException("a label set needs at least one label; found none");
    }
    Map<String, Integer> index = new HashMap<>();
    List<List<String>> wordCopies = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException(
            "label " + i + " has an empty name; expected a non-blank label name");
      }
      Integer previous = index.put(name, i);
      if (previous != null) {
        throw new IllegalArgumentException(
            "duplicate label name '" + name + "' at indices " + previous + " and " + i);
      }
      List<String> labelWords = words.get(i);
      if (labelWords == null || labelWords.isEmpty()) {
        throw new IllegalArgumentException(
            "label '" + name + "' has no verbalizer words; expected at least one");
      }
      for (String word : labelWords) {
        if (word == null || word.isEmpty()) {
          throw new IllegalArgumentException(
              "label '" + name + "' has an empty verbalizer word; expected non-empty words");
        }
      }
      wordCopies.add(List.copyOf(labelWords));
    }
    this.names = List.copyOf(names);
    this.words = Collections.unmodifiableList(wordCopies);
    this.indexByName = Map.copyOf(index);
  }

  /**
   * A label set whose labels are their own verbalizer: each label's only word is its name.
   *
   * @throws IllegalArgumentException if there are no names, a name is blank or repeated
   */
  public static LabelSet of(String... names) {
    Objects.requireNonNull(names, "names");
    return of(List.of(names));
  }

  /** Same as {@link #of(String...)} for a list of names. */
  public static LabelSet of(List<String> names) {
    Objects.requireNonNull(names, "names");
    List<List<String>> words = new ArrayList<>();
    for (String name : names) {
      words.add(name == null ? List.of() : List.of(name));
    }
    return new LabelSet(new ArrayList<>(names), words);
  }

  /**
   * A label set from an ordered map of label name to verbalizer words.
   *
   * @throws IllegalArgumentException if the map is empty, a name is blank, or a label has no word
   *     or an empty word
   */
  public static LabelSet ofVerbalizers(Map<String, List<String>> verbalizers) {
    Objects.requireNonNull(verbalizers, "verbalizers");
    return new LabelSet(
        new ArrayList<>(verbalizers.keySet()), new ArrayList<>(verbalizers.values()));
  }

  /** A builder that adds labels in order. */
  public static Builder builder() {
    return new Builder();
  }

  /** The number of labels, K. */
  public int size() {
    return names.size();
  }

  /** Label names in order. */
  public List<String> names() {
    return names;
  }

  /**
   * The name of the label at {@code index}.
   *
   * @throws IndexOutOfBoundsException unless {@code 0 <= index < size()}
   */
  public String name(int index) {
    checkIndex(index);
    return names.get(index);
  }

  /**
   * The verbalizer words of the label at {@code index}, in order; never empty.
   *
   * @throws IndexOutOfBoundsException unless {@code 0 <= index < size()}
   */
  public List<String> words(int index) {
    checkIndex(index);
    return words.get(index);
  }

  /** The index of the label called {@code name}, or empty when there is none. */
  public OptionalInt indexOf(String name) {
    Integer i = indexByName.get(name);
    return i == null ? OptionalInt.empty() : OptionalInt.of(i);
  }

  /**
   * The indices of the labels called {@code names}, in order: gold labels given by name.
   *
   * @throws NullPointerException if {@code names} or one of them is null (naming its position)
   * @throws IllegalArgumentException naming the first unknown name and its position, and listing
   *     the labels
   */
  public int[] indicesOf(List<String> names) {
    Objects.requireNonNull(names, "names");
    int[] out = new int[names.size()];
    int i = 0;
    for (String name : names) {
      if (name == null) {
        throw new NullPointerException("label name " + i + " is null");
      }
      Integer index = indexByName.get(name);
      if (index == null) {
        throw new IllegalArgumentException(
            "unknown label '" + name + "' at position " + i + "; expected one of " + this.names);
      }
      out[i++] = index;
    }
    return out;
  }

  /**
   * The index of the label called {@code name}.
   *
   * @throws IllegalArgumentException naming the label and the known labels if there is none
   */
  public int requireIndex(String name) {
    Integer i = indexByName.get(name);
    if (i == null) {
      throw new IllegalArgumentException("unknown label '" + name + "'; expected one of " + names);
    }
    return i;
  }

  /**
   * Checks that {@code other} equals this label set.
   *
   * @throws IllegalArgumentException naming both label sets when they differ
   */
  public void requireSame(LabelSet other, String what) {
    Objects.requireNonNull(other, "other");
    Objects.requireNonNull(what, "what");
    if (!equals(other)) {
      throw new IllegalArgumentException(
          "mismatched label sets for " + what + ": expected " + this + ", found " + other);
    }
  }

  private void checkIndex(int index) {
    io.calibra.internal.Checks.index(index, names.size(), "label index");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LabelSet other && names.equals(other.names) && words.equals(other.words);
  }

  @Override
  public int hashCode() {
    return Objects.hash(names, words);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("LabelSet[");
    for (int i = 0; i < names.size(); i++) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(names.get(i));
      if (!(words.get(i).size() == 1 && words.get(i).get(0).equals(names.get(i)))) {
        sb.append('=').append(quoteAll(words.get(i)));
      }
    }
    return sb.append(']').toString();
  }

  private static String quoteAll(List<String> ws) {
    List<String> quoted = new ArrayList<>();
    for (String w : ws) {
      quoted.add('"' + w + '"');
    }
    return quoted.toString();
  }

  /** Adds labels in order; {@link #build()} validates them. Not thread-safe. */
  public static final class Builder {
    private final List<String> order = new ArrayList<>();
    private final List<List<String>> words = new ArrayList<>();

    private Builder() {}

    /** Adds a label with its verbalizer words; with no words, the label's name is its only word. */
    public Builder add(String name, String... labelWords) {
      Objects.requireNonNull(labelWords, "labelWords");
      order.add(name);
      words.add(
          labelWords.length == 0
              ? listOfNullable(name)
              : new ArrayList<>(Arrays.asList(labelWords)));
      return this;
    }

    private static List<String> listOfNullable(String name) {
      List<String> l = new ArrayList<>();
      l.add(name);
      return l;
    }

    /**
     * Builds the label set.
     *
     * @throws IllegalArgumentException if it is empty, a name is blank or repeated, or a word is
     *     empty
     */
    public LabelSet build() {
      return new LabelSet(order, words);
    }
  }
}
