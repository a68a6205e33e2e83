package callisto.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import callisto.display.Display;
import callisto.display.DisplayData;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.table.TableSlice;

/** HTML (parsed as XML) and text renderings of Tablesaw tables, found through the display API. */
class TableRendererTest {
    static Document parse(String html) throws Exception {
        var builder = DocumentBuilderFactory.newInstance().newDocumentBuilder();
        return builder.parse(new InputSource(new StringReader(html)));
    }

    static NodeList nodes(Document doc, String xpath) throws Exception {
        return (NodeList) XPathFactory.newInstance().newXPath().evaluate(xpath, doc, XPathConstants.NODESET);
    }

    static String text(Document doc, String xpath) throws Exception {
        return XPathFactory.newInstance().newXPath().evaluate(xpath, doc);
    }

    static Table small() {
        return Tables.of("demo", "x", new double[] {0.5, Double.NaN, 2.25}, "name", new String[] {"a<&>b", null, "c"},
                "n", new int[] {1, 2, 3});
    }

    @Test
    void serviceLoaderFindsTheRenderer() {
        DisplayData d = Display.render(small());
        assertTrue(d.data().containsKey(DisplayData.HTML), "an HTML table: " + d.data().keySet());
        assertTrue(d.plainText().contains("3 rows × 3 columns"), d.plainText());
        assertTrue(Display.render(small().where(small().intColumn("n").isGreaterThan(1))).data().containsKey(DisplayData.HTML));
    }

    @Test
    void htmlHasHeaderTypesRowsAndEscapedValues() throws Exception {
        Document doc = parse(Display.render(small()).data().get(DisplayData.HTML));
        assertEquals("demo", text(doc, "//caption"));
        NodeList header = nodes(doc, "//thead/tr/th");
        assertEquals(4, header.getLength(), "an index corner and 3 columns");
        assertEquals("x", header.item(1).getFirstChild().getTextContent());
        assertEquals("float64", text(doc, "//thead/tr/th[2]/span"));
        assertEquals("string", text(doc, "//thead/tr/th[3]/span"));
        assertEquals("int32", text(doc, "//thead/tr/th[4]/span"));
        assertEquals(3, nodes(doc, "//tbody/tr").getLength());
        assertEquals("a<&>b", text(doc, "//tbody/tr[1]/td[2]"), "escaped in the HTML, the same text once parsed");
        assertEquals("NaN", text(doc, "//tbody/tr[2]/td[1]"));
        assertEquals("na", text(doc, "//tbody/tr[2]/td[1]/@class"), "missing values are marked");
        assertEquals("NA", text(doc, "//tbody/tr[2]/td[2]"));
        assertTrue(text(doc, "//tbody/tr[1]/td[1]/@style").contains("right"), "numbers right-aligned");
        assertTrue(text(doc, "//tbody/tr[1]/td[2]/@style").contains("left"), "text left-aligned");
        assertEquals("3 rows × 3 columns", text(doc, "//div[@class='shape']"));
        String html = Display.render(small()).data().get(DisplayData.HTML);
        assertTrue(!html.matches("(?s).*(background|color): *(#|white|black|rgb\\().*"), "only inherited or translucent colours");
    }

    @Test
    void escapesNamesAndCharactersXmlForbids() throws Exception {
        var t = Tables.of("a & <b>", "<col>", new String[] {"\u0001'\""});
        Document doc = parse(Display.render(t).data().get(DisplayData.HTML));
        assertEquals("a & <b>", text(doc, "//caption"));
        assertEquals("<col>", nodes(doc, "//thead/tr/th").item(1).getFirstChild().getTextContent());
        assertEquals("\\u0001'\"", text(doc, "//tbody/tr[1]/td[1]"));
    }

    @Test
    void largeTablesShowFirstAndLastRows() throws Exception {
        int[] i = new int[1000];
        for (int k = 0; k < i.length; k++) i[k] = k * 10;
        var t = Tables.of("big", "i", i);
        DisplayData d = Display.render(t);
        Document doc = parse(d.data().get(DisplayData.HTML));
        NodeList rows = nodes(doc, "//tbody/tr");
        assertEquals(21, rows.getLength(), "10 + the omitted row + 10");
        assertEquals("… 980 rows omitted …", text(doc, "//tbody/tr[@class='omitted']/td"));
        assertEquals("2", text(doc, "//tbody/tr[@class='omitted']/td/@colspan"));
        assertEquals("omitted", text(doc, "//tbody/tr[11]/@class"));
        assertEquals("9", text(doc, "//tbody/tr[10]/th"));
        assertEquals("990", text(doc, "//tbody/tr[12]/th"), "the row index shows where the tail starts");
        assertEquals("9900", text(doc, "//tbody/tr[12]/td"));
        assertEquals("1000 rows × 1 column", text(doc, "//div[@class='shape']"));
        assertTrue(d.plainText().contains("… 980 rows omitted …"), d.plainText());
        assertEquals(40, nodes(doc(t.first(40)), "//tbody/tr").getLength(), "40 rows show whole");
        assertEquals(100, nodes(doc(Tables.render(t, 100, 20)), "//tbody/tr[not(@class)]").getLength());
    }

    private static Document doc(Object value) throws Exception {
        return parse(Display.render(value).data().get(DisplayData.HTML));
    }

    @Test
    void wideTablesShowFirstAndLastColumns() throws Exception {
        var t = Table.create("wide");
        for (int c = 0; c < 30; c++) t.addColumns(IntColumn.create("c" + c, new int[] {c}));
        Document doc = doc(t);
        NodeList header = nodes(doc, "//thead/tr/th");
        assertEquals(1 + 10 + 1 + 10, header.getLength());
        assertEquals("…", header.item(11).getTextContent());
        assertEquals("c20", header.item(12).getFirstChild().getTextContent());
        assertEquals("1 row × 30 columns", text(doc, "//div[@class='shape']"));
    }

    @Test
    void plainTextAlignsColumns() {
        var t = Tables.of("aligned", "value", new double[] {1.5, -20.25, 300}, "label", new String[] {"a", "longer label", "b"});
        String text = Display.render(t).plainText();
        List<String> lines = List.of(text.split("\n"));
        assertEquals("aligned", lines.get(0));
        assertEquals("3 rows × 2 columns", lines.get(lines.size() - 1));
        List<String> table = new ArrayList<>(lines.subList(1, lines.size() - 1));
        assertEquals(5, table.size(), "header, rule, three rows:\n" + text);
        int bar = table.get(0).indexOf('|', table.get(0).indexOf('|') + 1);
        for (String line : table) {
            if (line.startsWith("-")) assertEquals('+', line.charAt(bar), text);
            else assertEquals('|', line.charAt(bar), "second separator at one column:\n" + text);
        }
        assertTrue(table.get(2).contains("   1.50 |"), "right-aligned, trailing zeros trimmed together:\n" + text);
        assertTrue(table.get(3).contains("-20.25 |"), text);
        assertTrue(table.get(4).contains(" 300.00 | b"), "text left-aligned:\n" + text);
    }

    @Test
    void floatsFormatLikePandas() {
        boolean[] none = new boolean[3];
        assertEquals(List.of("1.0", "2.5", "3.0"), List.of(TableRenderer.formatFloats(new double[] {1, 2.5, 3}, none)));
        assertEquals(List.of("0.333333", "1.000000", "inf"),
                List.of(TableRenderer.formatFloats(new double[] {1 / 3.0, 1, Double.POSITIVE_INFINITY}, none)));
        assertEquals(List.of("1.0e-08", "2.5e+00", "NaN"),
                List.of(TableRenderer.formatFloats(new double[] {1e-8, 2.5, Double.NaN}, new boolean[] {false, false, true})));
    }

    @Test
    void slicesRender() throws Exception {
        var t = Tables.of("s", "x", new double[] {3, 1, 2});
        var slice = new TableSlice(t);
        slice.sortOn(tech.tablesaw.sorting.Sort.on("x", tech.tablesaw.sorting.Sort.Order.ASCEND));
        Document doc = doc(slice);
        assertEquals("1.0", text(doc, "//tbody/tr[1]/td"));
        assertEquals("3.0", text(doc, "//tbody/tr[3]/td"));
        assertInstanceOf(TableRenderer.class, new TableRenderer());
        assertEquals("0 rows × 1 column", Display.render(Table.create("e", DoubleColumn.create("x"))).plainText().lines().reduce((a, b) -> b).orElseThrow());
    }
}
