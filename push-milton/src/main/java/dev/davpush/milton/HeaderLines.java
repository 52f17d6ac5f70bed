package dev.davpush.milton;

import io.milton.http.Request;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Every field line of a request header. milton's {@link Request#getHeaders()} keeps one value per
 * name; behind milton's servlet adapter the servlet request still has them all, so it is asked when
 * present (through {@code io.milton.servlet.ServletRequest.getRequest()}, the request of the
 * current thread).
 *
 * <p>Thread safety: stateless.
 */
final class HeaderLines {
  private static final boolean SERVLET = servletAvailable();

  private HeaderLines() {}

  /**
   * The field lines of a header, in the order received.
   *
   * @param request milton's request
   * @param name the header name, any case
   * @return the lines; empty if absent
   */
  static List<String> of(Request request, String name) {
    if (SERVLET && request instanceof io.milton.servlet.ServletRequest) {
      List<String> lines = ServletLines.of(name);
      if (lines != null) {
        return lines;
      }
    }
    for (Map.Entry<String, String> h : request.getHeaders().entrySet()) {
      if (h.getKey() != null && h.getKey().equalsIgnoreCase(name) && h.getValue() != null) {
        return List.of(h.getValue());
      }
    }
    return List.of();
  }

  private static boolean servletAvailable() {
    try {
      Class.forName(
          "jakarta.servlet.http.HttpServletRequest", false, HeaderLines.class.getClassLoader());
      Class.forName("io.milton.servlet.ServletRequest", false, HeaderLines.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /** Loaded only when the servlet API is present. */
  private static final class ServletLines {
    private ServletLines() {}

    static @Nullable List<String> of(String name) {
      jakarta.servlet.http.HttpServletRequest r = io.milton.servlet.ServletRequest.getRequest();
      if (r == null) {
        return null;
      }
      java.util.Enumeration<String> values = r.getHeaders(name);
      return values == null ? List.of() : List.copyOf(new ArrayList<>(Collections.list(values)));
    }
  }
}
