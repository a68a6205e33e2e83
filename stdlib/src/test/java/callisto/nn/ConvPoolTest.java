package callisto.nn;

import static callisto.nn.NnTesting.assertClose;
import static callisto.nn.NnTesting.gradcheckModule;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import callisto.tensor.ConvOptions;
import callisto.tensor.DType;
import callisto.tensor.Generator;
import callisto.tensor.Tensor;

import org.junit.jupiter.api.Test;

class ConvPoolTest {
    static final DType F64 = DType.FLOAT64;

    /** Cross-correlation of x [n, c, h, w] with w [o, c/groups, kh, kw], written out with zero padding. */
    static double[] naiveConv2d(double[] x, int n, int c, int h, int wd, double[] w, int o, int kh, int kw, double[] b,
                                int s, int p, int groups) {
        int oh = (h + 2 * p - kh) / s + 1, ow = (wd + 2 * p - kw) / s + 1, cg = c / groups, og = o / groups;
        double[] y = new double[n * o * oh * ow];
        for (int i = 0; i < n; i++)
            for (int q = 0; q < o; q++)
                for (int r = 0; r < oh; r++)
                    for (int t = 0; t < ow; t++) {
                        double sum = b == null ? 0 : b[q];
                        int gidx = q / og;
                        for (int cc = 0; cc < cg; cc++)
                            for (int u = 0; u < kh; u++)
                                for (int v = 0; v < kw; v++) {
                                    int yy = r * s - p + u, xx = t * s - p + v;
                                    if (yy < 0 || yy >= h || xx < 0 || xx >= wd) continue;
                                    sum += x[((i * c + gidx * cg + cc) * h + yy) * wd + xx] * w[((q * cg + cc) * kh + u) * kw + v];
                                }
                        y[((i * o + q) * oh + r) * ow + t] = sum;
                    }
        return y;
    }

    @Test
    void conv2dMatchesLoopsAndGradchecks() {
        var g = new Generator(21);
        var m = new Conv2d(4, 2, new int[] {3, 2}, ConvOptions.defaults().stride(2).padding(1).groups(2), true, F64, g);
        assertArrayEquals(new int[] {2, 2, 3, 2}, m.weight().shape());
        Tensor x = g.randn(1, 4, 4, 3);
        double[] expected = naiveConv2d(x.toArray(), 1, 4, 4, 3, m.weight().toArray(), 2, 3, 2, m.bias().toArray(), 2, 1, 2);
        Tensor y = m.forward(x);
        assertArrayEquals(new int[] {1, 2, 2, 2}, y.shape());
        assertClose(expected, y, 1e-13);
        gradcheckModule(m, x, true);
        assertEquals("Conv2d(4, 2, kernel_size=(3, 2), stride=(2, 2), padding=(1, 1), groups=2, bias=true)", m.toString());
        var e = assertThrows(IllegalArgumentException.class, () -> new Conv2d(3, 2, new int[] {3}, ConvOptions.defaults().groups(2), true, F64, g));
        assertTrue(e.getMessage().contains("groups 2"), e.getMessage());
    }

    @Test
    void conv1dIsConv2dOfHeightOne() {
        var g = new Generator(22);
        var m = new Conv1d(2, 3, 3, ConvOptions.defaults().padding(1), true, F64, g);
        Tensor x = g.randn(2, 2, 5);
        // padding only along the length: pad the naive input by hand
        double[] padded = new double[2 * 2 * 7];
        for (int i = 0; i < 4; i++) System.arraycopy(x.toArray(), i * 5, padded, i * 7 + 1, 5);
        double[] expected = naiveConv2d(padded, 2, 2, 1, 7, m.weight().toArray(), 3, 1, 3, m.bias().toArray(), 1, 0, 1);
        assertClose(expected, m.forward(x), 1e-13);
        gradcheckModule(m, g.randn(1, 2, 4), true);
    }

    @Test
    void convTranspose2dScattersAndGradchecks() {
        var g = new Generator(23);
        int s = 2, p = 1, op = 1;
        var m = new ConvTranspose2d(2, 3, new int[] {3, 3}, ConvOptions.defaults().stride(s).padding(p).outputPadding(op),
                true, F64, g);
        assertArrayEquals(new int[] {2, 3, 3, 3}, m.weight().shape());
        Tensor x = g.randn(1, 2, 2, 2);
        int oh = (2 - 1) * s - 2 * p + 3 + op;
        double[] xv = x.toArray(), w = m.weight().toArray(), b = m.bias().toArray();
        double[] y = new double[3 * oh * oh];
        for (int o = 0; o < 3; o++) for (int i = 0; i < oh * oh; i++) y[o * oh * oh + i] = b[o];
        for (int c = 0; c < 2; c++)
            for (int i = 0; i < 2; i++)
                for (int j = 0; j < 2; j++)
                    for (int o = 0; o < 3; o++)
                        for (int u = 0; u < 3; u++)
                            for (int v = 0; v < 3; v++) {
                                int r = i * s - p + u, t = j * s - p + v;
                                if (r < 0 || r >= oh || t < 0 || t >= oh) continue;
                                y[(o * oh + r) * oh + t] += xv[(c * 2 + i) * 2 + j] * w[((c * 3 + o) * 3 + u) * 3 + v];
                            }
        Tensor out = m.forward(x);
        assertArrayEquals(new int[] {1, 3, oh, oh}, out.shape());
        assertClose(y, out, 1e-13);
        gradcheckModule(new ConvTranspose2d(1, 2, new int[] {2}, ConvOptions.defaults().stride(2), true, F64, g),
                g.randn(1, 1, 2, 2), true);
    }

    @Test
    void convDefaultInitBoundsFollowFanIn() {
        var g = new Generator(24);
        var c = new Conv2d(6, 8, new int[] {3}, ConvOptions.defaults().groups(2), true, DType.FLOAT32, g);
        double bound = 1 / Math.sqrt(3 * 9);
        for (double v : c.weight().toArray()) assertTrue(Math.abs(v) <= bound);
        for (double v : c.bias().toArray()) assertTrue(Math.abs(v) <= bound);
        var t = new ConvTranspose2d(6, 4, 3, g);
        double tb = 1 / Math.sqrt(4 * 9); // PyTorch takes the transposed weight's dim 1 as fan in
        double max = 0;
        for (double v : t.weight().toArray()) max = Math.max(max, Math.abs(v));
        assertTrue(max <= tb && max > 0.9 * tb, "max " + max);
    }

    @Test
    void poolsMatchLoopsAndGradcheck() {
        var g = new Generator(25);
        Tensor x = g.randn(1, 2, 4, 4);
        double[] xv = x.toArray();
        double[] max = new double[2 * 4], avg = new double[2 * 4];
        for (int c = 0; c < 2; c++)
            for (int r = 0; r < 2; r++)
                for (int t = 0; t < 2; t++) {
                    double mx = Double.NEGATIVE_INFINITY, sum = 0;
                    for (int u = 0; u < 2; u++)
                        for (int v = 0; v < 2; v++) {
                            double val = xv[(c * 4 + r * 2 + u) * 4 + t * 2 + v];
                            mx = Math.max(mx, val);
                            sum += val;
                        }
                    max[(c * 2 + r) * 2 + t] = mx;
                    avg[(c * 2 + r) * 2 + t] = sum / 4;
                }
        assertClose(max, new MaxPool2d(2).forward(x), 0);
        assertClose(avg, new AvgPool2d(2).forward(x), 1e-15);
        gradcheckModule(new MaxPool2d(2), x, false);
        gradcheckModule(new AvgPool2d(3, 1, 1), g.randn(1, 1, 3, 3), true);
        assertArrayEquals(new int[] {1, 2, 3, 3}, new MaxPool2d(new int[] {2}, new int[] {1}, new int[] {0}, new int[] {1}, false)
                .forward(g.randn(1, 2, 4, 4)).shape());
        assertEquals("MaxPool2d(kernel_size=(2, 2), stride=(2, 2), padding=(0, 0), dilation=(1, 1), ceil_mode=false)",
                new MaxPool2d(2).toString());
    }
}
