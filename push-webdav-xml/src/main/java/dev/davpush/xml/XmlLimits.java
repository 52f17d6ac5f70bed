package dev.davpush.xml;

import java.util.Objects;

/**
 * Limits every reader of this module applies to untrusted XML: nesting depth, text length,
 * attribute count, total input size and element count. One immutable value; the readers take {@link
 * #defaults()} unless given another.
 *
 * <p>Exceeding a limit ends the read with a {@link PushXmlException} carrying line and column;
 * memory stays bounded by {@link #maxInputBytes()} (plus a constant factor) and time by the input
 * size.
 *
 * <p>The defaults suit WebDAV-Push documents, which are a few hundred bytes long. A client reading
 * a large {@code 207 Multi-Status} (a {@code PROPFIND} with {@code Depth: 1} on a big collection)
 * passes larger limits to {@link MultistatusReader#read(java.io.InputStream, XmlLimits)}.
 *
 * <p>Thread safety: immutable.
 */
public final class XmlLimits {
  /** Default maximum element nesting depth, the root being depth 1: {@value}. */
  public static final int DEFAULT_MAX_DEPTH = 64;

  /**
   * The largest nesting depth {@link Builder#maxDepth(int)} accepts: {@value}. It bounds the work
   * and the stack any code walking a parsed tree needs; no WebDAV, CalDAV or WebDAV-Push document
   * comes near it.
   */
  public static final int MAX_DEPTH_CAP = 1_000;

  /**
   * Default maximum length of one element's text in characters: {@value}. Attribute values
   * (namespace URIs included) are limited to the larger of this and 4096.
   */
  public static final int DEFAULT_MAX_TEXT_LENGTH = 65_536;

  /** Default maximum number of attributes on one element: {@value}. */
  public static final int DEFAULT_MAX_ATTRIBUTE_COUNT = 32;

  /** Default maximum size of the whole input in bytes (1 MiB): {@value}. */
  public static final int DEFAULT_MAX_INPUT_BYTES = 1_048_576;

  /** Default maximum number of elements in one document: {@value}. */
  public static final int DEFAULT_MAX_ELEMENTS = 10_000;

  private static final XmlLimits DEFAULTS = builder().build();

  private final int maxDepth;
  private final int maxTextLength;
  private final int maxAttributeCount;
  private final int maxInputBytes;
  private final int maxElements;

  private XmlLimits(Builder b) {
    this.maxDepth = b.maxDepth;
    this.maxTextLength = b.maxTextLength;
    this.maxAttributeCount = b.maxAttributeCount;
    this.maxInputBytes = b.maxInputBytes;
    this.maxElements = b.maxElements;
  }

  /**
   * The default limits ({@code DEFAULT_*} constants).
   *
   * @return a shared instance
   */
  public static XmlLimits defaults() {
    return DEFAULTS;
  }

  /**
   * A builder starting from the defaults.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder holding these limits, to derive others.
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    return new Builder()
        .maxDepth(maxDepth)
        .maxTextLength(maxTextLength)
        .maxAttributeCount(maxAttributeCount)
        .maxInputBytes(maxInputBytes)
        .maxElements(maxElements);
  }

  /**
   * Maximum element nesting depth.
   *
   * @return ≥ 1; the root element is at depth 1
   */
  public int maxDepth() {
    return maxDepth;
  }

  /**
   * Maximum length of the text of one element; attribute values (namespace URIs included) may be as
   * long as the larger of this and 4096 characters.
   *
   * @return ≥ 1, in characters
   */
  public int maxTextLength() {
    return maxTextLength;
  }

  /**
   * Maximum number of attributes (namespace declarations not counted) on one element.
   *
   * @return ≥ 1
   */
  public int maxAttributeCount() {
    return maxAttributeCount;
  }

  /**
   * Maximum size of the whole input.
   *
   * @return ≥ 1, in bytes as read from the stream (before character decoding)
   */
  public int maxInputBytes() {
    return maxInputBytes;
  }

  /**
   * Maximum number of elements in one document.
   *
   * @return ≥ 1
   */
  public int maxElements() {
    return maxElements;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof XmlLimits l
        && maxDepth == l.maxDepth
        && maxTextLength == l.maxTextLength
        && maxAttributeCount == l.maxAttributeCount
        && maxInputBytes == l.maxInputBytes
        && maxElements == l.maxElements;
  }

  @Override
  public int hashCode() {
    return Objects.hash(maxDepth, maxTextLength, maxAttributeCount, maxInputBytes, maxElements);
  }

  @Override
  public String toString() {
    return "XmlLimits[maxDepth="
        + maxDepth
        + ", maxTextLength="
        + maxTextLength
        + ", maxAttributeCount="
        + maxAttributeCount
        + ", maxInputBytes="
        + maxInputBytes
        + ", maxElements="
        + maxElements
        + "]";
  }

  /**
   * Builds {@link XmlLimits}; each setter validates at once.
   *
   * <p>Thread safety: not thread-safe; confine a builder to one thread (the built value is
   * immutable).
   */
  public static final class Builder {
    private int maxDepth = DEFAULT_MAX_DEPTH;
    private int maxTextLength = DEFAULT_MAX_TEXT_LENGTH;
    private int maxAttributeCount = DEFAULT_MAX_ATTRIBUTE_COUNT;
    private int maxInputBytes = DEFAULT_MAX_INPUT_BYTES;
    private int maxElements = DEFAULT_MAX_ELEMENTS;

    private Builder() {}

    /**
     * Sets the maximum nesting depth.
     *
     * @param maxDepth 1 to {@link #MAX_DEPTH_CAP}; default {@link #DEFAULT_MAX_DEPTH}
     * @return this builder
     * @throws IllegalArgumentException if below 1 or above {@link #MAX_DEPTH_CAP}
     */
    public Builder maxDepth(int maxDepth) {
      positive("maxDepth", maxDepth);
      if (maxDepth > MAX_DEPTH_CAP) {
        throw new IllegalArgumentException(
            "maxDepth: expected <= "
                + MAX_DEPTH_CAP
                + " (XmlLimits.MAX_DEPTH_CAP), got "
                + maxDepth);
      }
      this.maxDepth = maxDepth;
      return this;
    }

    /**
     * Sets the maximum text node length.
     *
     * @param maxTextLength ≥ 1 characters; default {@link #DEFAULT_MAX_TEXT_LENGTH}
     * @return this builder
     * @throws IllegalArgumentException if below 1
     */
    public Builder maxTextLength(int maxTextLength) {
      this.maxTextLength = positive("maxTextLength", maxTextLength);
      return this;
    }

    /**
     * Sets the maximum attribute count per element.
     *
     * @param maxAttributeCount ≥ 1; default {@link #DEFAULT_MAX_ATTRIBUTE_COUNT}
     * @return this builder
     * @throws IllegalArgumentException if below 1
     */
    public Builder maxAttributeCount(int maxAttributeCount) {
      this.maxAttributeCount = positive("maxAttributeCount", maxAttributeCount);
      return this;
    }

    /**
     * Sets the maximum input size.
     *
     * @param maxInputBytes ≥ 1 bytes; default {@link #DEFAULT_MAX_INPUT_BYTES}
     * @return this builder
     * @throws IllegalArgumentException if below 1
     */
    public Builder maxInputBytes(int maxInputBytes) {
      this.maxInputBytes = positive("maxInputBytes", maxInputBytes);
      return this;
    }

    /**
     * Sets the maximum element count.
     *
     * @param maxElements ≥ 1; default {@link #DEFAULT_MAX_ELEMENTS}
     * @return this builder
     * @throws IllegalArgumentException if below 1
     */
    public Builder maxElements(int maxElements) {
      this.maxElements = positive("maxElements", maxElements);
      return this;
    }

    /**
     * Builds the limits.
     *
     * @return the limits
     */
    public XmlLimits build() {
      return new XmlLimits(this);
    }

    private static int positive(String name, int value) {
      if (value < 1) {
        throw new IllegalArgumentException(name + ": expected >= 1, got " + value);
      }
      return value;
    }
  }
}
