// VtlRender renders API Gateway mapping templates with Apache Velocity 1.7
// (the engine API Gateway's VTL is built on) and an emulation of API
// Gateway's $input, $util and $context. It is test tooling for stepform:
// it reads a JSON array of cases on standard input and writes a JSON array
// of results on standard output.
//
// A case: {"template": "...", "body": "...", "headers": {}, "query": {},
//          "path": {}, "context": {}}
// A result: {"output": "...", "status": 500 | null, "headers": {...} | null,
//            "error": "..." | null}
// "error" is set when API Gateway would refuse the request (for example a
// body that $input.json cannot parse) or the template does not render.

import java.io.*;
import java.math.BigDecimal;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.*;
import org.apache.commons.lang.StringEscapeUtils;
import org.apache.velocity.VelocityContext;
import org.apache.velocity.app.VelocityEngine;

public class VtlRender {
  public static void main(String[] args) throws Exception {
    String in = new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
    List<Object> cases = (List<Object>) new Json(in).value();
    VelocityEngine engine = new VelocityEngine();
    engine.setProperty("runtime.log.logsystem.class", "org.apache.velocity.runtime.log.NullLogChute");
    engine.init();
    List<Object> results = new ArrayList<>();
    for (Object c : cases) {
      results.add(render(engine, (Map<String, Object>) c));
    }
    PrintStream out = new PrintStream(System.out, true, "UTF-8");
    out.print(Json.write(results));
  }

  static Map<String, Object> render(VelocityEngine engine, Map<String, Object> c) {
    Map<String, Object> result = new LinkedHashMap<>();
    Map<String, Object> context = new LinkedHashMap<>(map(c.get("context")));
    Map<String, Object> override = new LinkedHashMap<>();
    override.put("header", new LinkedHashMap<String, Object>());
    context.put("responseOverride", override);
    VelocityContext vc = new VelocityContext();
    vc.put("input", new Input(str(c.get("body")), map(c.get("path")), map(c.get("query")), map(c.get("headers"))));
    vc.put("util", new Util());
    vc.put("context", context);
    StringWriter w = new StringWriter();
    try {
      engine.evaluate(vc, w, "template", str(c.get("template")));
      result.put("output", w.toString());
      Object status = override.get("status");
      result.put("status", status == null ? null : new BigDecimal(status.toString()));
      result.put("headers", override.get("header"));
      result.put("error", null);
    } catch (Exception e) {
      Throwable t = e;
      while (t.getCause() != null) t = t.getCause();
      result.put("output", null);
      result.put("status", null);
      result.put("headers", null);
      result.put("error", t.getMessage() == null ? t.toString() : t.getMessage());
    }
    return result;
  }

  static Map<String, Object> map(Object o) {
    return o == null ? new LinkedHashMap<>() : (Map<String, Object>) o;
  }

  static String str(Object o) {
    return o == null ? "" : o.toString();
  }

  /** $input: the request as API Gateway exposes it to a mapping template. */
  public static class Input {
    private final String body;
    private final Map<String, Object> params = new LinkedHashMap<>();

    Input(String body, Map<String, Object> path, Map<String, Object> query, Map<String, Object> headers) {
      this.body = body;
      params.put("path", path);
      params.put("querystring", query);
      params.put("header", headers);
    }

    // API Gateway hands a template "{}" for an empty request body, not "".
    public String getBody() { return body.isEmpty() ? "{}" : body; }

    private Object parsed() {
      // An empty body reads as an empty object; anything else must be JSON.
      if (body.trim().isEmpty()) return new LinkedHashMap<String, Object>();
      try {
        return new Json(body).value();
      } catch (RuntimeException e) {
        throw new RuntimeException("Could not parse request body into json: " + e.getMessage());
      }
    }

    public String json(String path) { return Json.write(Json.select(parsed(), path)); }

    public Object path(String path) { return Json.select(parsed(), path); }

    public Map<String, Object> params() { return params; }

    public Object params(String name) {
      for (String scope : new String[] {"path", "querystring", "header"}) {
        Map<String, Object> m = (Map<String, Object>) params.get(scope);
        if (m.containsKey(name)) return m.get(name);
      }
      return "";
    }
  }

  /** $util, as documented for API Gateway mapping templates. */
  public static class Util {
    public String escapeJavaScript(String s) { return StringEscapeUtils.escapeJavaScript(s); }
    public Object parseJson(String s) { return new Json(s).value(); }
    public String urlEncode(String s) throws Exception { return URLEncoder.encode(s, "UTF-8"); }
    public String urlDecode(String s) throws Exception { return URLDecoder.decode(s, "UTF-8"); }
    public String base64Encode(String s) { return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8)); }
    public String base64Decode(String s) { return new String(Base64.getDecoder().decode(s), StandardCharsets.UTF_8); }
  }

  /** A small JSON reader and writer; numbers keep their text. */
  static class Json {
    private final String s;
    private int i;

    Json(String s) { this.s = s; }

    Object value() {
      Object v = read();
      ws();
      if (i != s.length()) throw new RuntimeException("trailing text at " + i);
      return v;
    }

    private void ws() {
      while (i < s.length() && " \t\r\n".indexOf(s.charAt(i)) >= 0) i++;
    }

    private Object read() {
      ws();
      if (i >= s.length()) throw new RuntimeException("unexpected end");
      char c = s.charAt(i);
      if (c == '{') {
        Map<String, Object> m = new LinkedHashMap<>();
        i++;
        ws();
        if (s.charAt(i) == '}') { i++; return m; }
        while (true) {
          ws();
          String k = string();
          ws();
          expect(':');
          m.put(k, read());
          ws();
          if (s.charAt(i) == ',') { i++; continue; }
          expect('}');
          return m;
        }
      }
      if (c == '[') {
        List<Object> l = new ArrayList<>();
        i++;
        ws();
        if (s.charAt(i) == ']') { i++; return l; }
        while (true) {
          l.add(read());
          ws();
          if (s.charAt(i) == ',') { i++; continue; }
          expect(']');
          return l;
        }
      }
      if (c == '"') return string();
      if (s.startsWith("true", i)) { i += 4; return Boolean.TRUE; }
      if (s.startsWith("false", i)) { i += 5; return Boolean.FALSE; }
      if (s.startsWith("null", i)) { i += 4; return null; }
      int start = i;
      while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) i++;
      if (start == i) throw new RuntimeException("unexpected " + c + " at " + i);
      return new BigDecimal(s.substring(start, i));
    }

    private void expect(char c) {
      if (i >= s.length() || s.charAt(i) != c) throw new RuntimeException("expected " + c + " at " + i);
      i++;
    }

    private String string() {
      expect('"');
      StringBuilder b = new StringBuilder();
      while (true) {
        char c = s.charAt(i++);
        if (c == '"') return b.toString();
        if (c < 0x20) throw new RuntimeException("control character in string");
        if (c != '\\') { b.append(c); continue; }
        char e = s.charAt(i++);
        switch (e) {
          case 'n': b.append('\n'); break;
          case 'r': b.append('\r'); break;
          case 't': b.append('\t'); break;
          case 'b': b.append('\b'); break;
          case 'f': b.append('\f'); break;
          case 'u': b.append((char) Integer.parseInt(s.substring(i, i + 4), 16)); i += 4; break;
          case '"': case '\\': case '/': b.append(e); break;
          default: throw new RuntimeException("bad escape \\" + e);
        }
      }
    }

    /** select evaluates the JSONPath subset templates use: $, .name, ['name'], [index]. */
    static Object select(Object root, String path) {
      Object cur = root;
      int i = 0;
      if (!path.startsWith("$")) throw new RuntimeException("path must start with $: " + path);
      i = 1;
      while (i < path.length() && cur != null) {
        char c = path.charAt(i);
        if (c == '.') {
          int j = i + 1;
          while (j < path.length() && path.charAt(j) != '.' && path.charAt(j) != '[') j++;
          cur = child(cur, path.substring(i + 1, j));
          i = j;
        } else if (c == '[') {
          int j = path.indexOf(']', i);
          String key = path.substring(i + 1, j);
          if (key.startsWith("'") || key.startsWith("\"")) key = key.substring(1, key.length() - 1);
          cur = child(cur, key);
          i = j + 1;
        } else {
          throw new RuntimeException("unsupported path " + path);
        }
      }
      return cur;
    }

    private static Object child(Object cur, String key) {
      if (cur instanceof Map) return ((Map<String, Object>) cur).get(key);
      if (cur instanceof List) {
        int idx = Integer.parseInt(key);
        List<Object> l = (List<Object>) cur;
        return idx < l.size() ? l.get(idx) : null;
      }
      return null;
    }

    static String write(Object v) {
      StringBuilder b = new StringBuilder();
      write(b, v);
      return b.toString();
    }

    private static void write(StringBuilder b, Object v) {
      if (v == null) { b.append("null"); return; }
      if (v instanceof String) { quote(b, (String) v); return; }
      if (v instanceof Map) {
        b.append('{');
        boolean first = true;
        for (Map.Entry<String, Object> e : ((Map<String, Object>) v).entrySet()) {
          if (!first) b.append(',');
          first = false;
          quote(b, e.getKey());
          b.append(':');
          write(b, e.getValue());
        }
        b.append('}');
        return;
      }
      if (v instanceof List) {
        b.append('[');
        boolean first = true;
        for (Object e : (List<Object>) v) {
          if (!first) b.append(',');
          first = false;
          write(b, e);
        }
        b.append(']');
        return;
      }
      b.append(v.toString());
    }

    private static void quote(StringBuilder b, String s) {
      b.append('"');
      for (char c : s.toCharArray()) {
        switch (c) {
          case '"': b.append("\\\""); break;
          case '\\': b.append("\\\\"); break;
          case '\n': b.append("\\n"); break;
          case '\r': b.append("\\r"); break;
          case '\t': b.append("\\t"); break;
          case '\b': b.append("\\b"); break;
          case '\f': b.append("\\f"); break;
          default:
            if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
            else b.append(c);
        }
      }
      b.append('"');
    }
  }
}
