package callisto.linalg;

import java.util.Arrays;

/**
 * The pure-JVM factorisations, one row-major double matrix per call, with the contracts of {@link NativeLapack}
 * (same arguments, same {@code info}): LU with partial pivoting, substitution, Cholesky (lower, row-oriented so
 * inner loops run along rows), Householder QR with LAPACK's sign choice, Householder tridiagonalisation and
 * implicit QL for symmetric eigenproblems, and one-sided (Hestenes) Jacobi for the SVD: slower than LAPACK's
 * bidiagonal divide and conquer, but short, accurate to high relative precision, and free of tuning.
 */
final class JavaLapack {
    private static final double EPS = Math.ulp(1.0);
    private static final int MAX_SWEEPS = 100;

    private JavaLapack() {
    }

    /** In-place LU of n×n {@code a} (PA = LU, unit L below, U on and above the diagonal); info as getrf. */
    static int lu(int n, double[] a, int[] piv) {
        int info = 0;
        for (int j = 0; j < n; j++) {
            int p = j;
            double best = Math.abs(a[j * n + j]);
            for (int i = j + 1; i < n; i++) {
                double v = Math.abs(a[i * n + j]);
                if (v > best) {
                    best = v;
                    p = i;
                }
            }
            piv[j] = p;
            if (p != j) {
                for (int c = 0; c < n; c++) {
                    double t = a[j * n + c];
                    a[j * n + c] = a[p * n + c];
                    a[p * n + c] = t;
                }
            }
            double d = a[j * n + j];
            if (d == 0) {
                if (info == 0) info = j + 1;
                continue;
            }
            for (int i = j + 1; i < n; i++) {
                double f = a[i * n + j] /= d;
                if (f == 0) continue;
                for (int c = j + 1; c < n; c++) a[i * n + c] -= f * a[j * n + c];
            }
        }
        return info;
    }

    /** X = A⁻¹B (A n×n, B n×k). */
    static int solve(int n, int k, double[] a, int aOff, double[] b, int bOff, double[] x, int xOff) {
        double[] lu = Arrays.copyOfRange(a, aOff, aOff + n * n);
        int[] piv = new int[n];
        int info = lu(n, lu, piv);
        if (info != 0) return info;
        System.arraycopy(b, bOff, x, xOff, n * k);
        for (int j = 0; j < n; j++) {
            if (piv[j] == j) continue;
            for (int c = 0; c < k; c++) {
                double t = x[xOff + j * k + c];
                x[xOff + j * k + c] = x[xOff + piv[j] * k + c];
                x[xOff + piv[j] * k + c] = t;
            }
        }
        substitute(n, k, lu, 0, false, true, x, xOff);
        substitute(n, k, lu, 0, true, false, x, xOff);
        return 0;
    }

    /** In place, X ← T⁻¹X for the upper or lower triangle of {@code t} (unit: diagonal taken as 1). */
    private static void substitute(int n, int k, double[] t, int tOff, boolean upper, boolean unit, double[] x, int xOff) {
        for (int step = 0; step < n; step++) {
            int i = upper ? n - 1 - step : step;
            int xi = xOff + i * k;
            int from = upper ? i + 1 : 0, to = upper ? n : i;
            for (int j = from; j < to; j++) {
                double f = t[tOff + i * n + j];
                if (f == 0) continue;
                int xj = xOff + j * k;
                for (int c = 0; c < k; c++) x[xi + c] -= f * x[xj + c];
            }
            if (!unit) {
                double d = t[tOff + i * n + i];
                for (int c = 0; c < k; c++) x[xi + c] /= d;
            }
        }
    }

    /** As {@link NativeLapack#solveTriangular}; info i when the i-th diagonal element is zero (not for unit). */
    static int solveTriangular(boolean upper, boolean left, boolean unit, int n, int k,
                               double[] a, int aOff, double[] b, int bOff, double[] x, int xOff) {
        if (!unit) for (int i = 0; i < n; i++) if (a[aOff + i * n + i] == 0) return i + 1;
        if (left) {
            System.arraycopy(b, bOff, x, xOff, n * k);
            substitute(n, k, a, aOff, upper, unit, x, xOff);
            return 0;
        }
        // X A = B  <=>  Aᵀ Xᵀ = Bᵀ: transpose both, solve on the left, transpose back
        double[] at = transpose(a, aOff, n, n), xt = transpose(b, bOff, k, n);
        substitute(n, k, at, 0, !upper, unit, xt, 0);
        for (int i = 0; i < n; i++) for (int c = 0; c < k; c++) x[xOff + c * n + i] = xt[i * k + c];
        return 0;
    }

    private static double[] transpose(double[] a, int off, int rows, int cols) {
        double[] t = new double[rows * cols];
        for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) t[j * rows + i] = a[off + i * cols + j];
        return t;
    }

    /** Lower Cholesky factor of A's lower triangle; info = order of the first leading minor that is not positive. */
    static int cholesky(int n, double[] a, int aOff, double[] l, int lOff) {
        Arrays.fill(l, lOff, lOff + n * n, 0);
        for (int j = 0; j < n; j++) {
            int rj = lOff + j * n;
            double d = a[aOff + j * n + j];
            for (int c = 0; c < j; c++) d -= l[rj + c] * l[rj + c];
            if (!(d > 0)) return j + 1; // NaN too
            double ljj = Math.sqrt(d);
            l[rj + j] = ljj;
            for (int i = j + 1; i < n; i++) {
                int ri = lOff + i * n;
                double s = a[aOff + i * n + j];
                for (int c = 0; c < j; c++) s -= l[ri + c] * l[rj + c];
                l[ri + j] = s / ljj;
            }
        }
        return 0;
    }

    /** Reduced Householder QR: Q m×k, R k×n; a reflector is skipped when its column is zero below the diagonal. */
    static void qr(int m, int n, double[] a, int aOff, double[] q, int qOff, double[] r, int rOff) {
        int k = Math.min(m, n);
        double[] w = Arrays.copyOfRange(a, aOff, aOff + m * n);
        double[][] vs = new double[k][];
        for (int j = 0; j < k; j++) {
            double tail = 0;
            for (int i = j + 1; i < m; i++) tail += w[i * n + j] * w[i * n + j];
            if (tail == 0) continue;
            double x0 = w[j * n + j], norm = Math.sqrt(x0 * x0 + tail);
            double beta = x0 >= 0 ? -norm : norm;
            double[] v = new double[m - j];
            v[0] = x0 - beta;
            for (int i = j + 1; i < m; i++) v[i - j] = w[i * n + j];
            double vv = v[0] * v[0] + tail;
            for (int i = 0; i < v.length; i++) v[i] *= Math.sqrt(2 / vv); // H = I - v vᵀ
            vs[j] = v;
            reflect(v, j, w, n, j, n);
        }
        for (int i = 0; i < k; i++) for (int c = 0; c < n; c++) r[rOff + i * n + c] = c < i ? 0 : w[i * n + c];
        double[] qq = new double[m * k];
        for (int i = 0; i < k; i++) qq[i * k + i] = 1;
        for (int j = k - 1; j >= 0; j--) if (vs[j] != null) reflect(vs[j], j, qq, k, 0, k);
        System.arraycopy(qq, 0, q, qOff, m * k);
    }

    /** Rows j.. of columns [c0, c1) of row-major {@code w} (row length ld) ← (I − v vᵀ) · them. */
    private static void reflect(double[] v, int j, double[] w, int ld, int c0, int c1) {
        double[] dots = new double[c1 - c0];
        for (int i = 0; i < v.length; i++) {
            double vi = v[i];
            int row = (j + i) * ld;
            for (int c = c0; c < c1; c++) dots[c - c0] += vi * w[row + c];
        }
        for (int i = 0; i < v.length; i++) {
            double vi = v[i];
            int row = (j + i) * ld;
            for (int c = c0; c < c1; c++) w[row + c] -= vi * dots[c - c0];
        }
    }

    /**
     * Symmetric eigendecomposition of A's lower triangle: Householder reduction to tridiagonal form, then the
     * implicit QL iteration (EISPACK's tred2 and tql2, as in JAMA); eigenvalues ascending, eigenvectors as
     * columns; info 1 if QL did not converge in 30 iterations per eigenvalue.
     */
    static int eigh(int n, double[] a, int aOff, double[] w, int wOff, double[] v, int vOff) {
        if (n == 0) return 0;
        double[][] z = new double[n][n];
        for (int i = 0; i < n; i++) for (int j = 0; j <= i; j++) z[i][j] = z[j][i] = a[aOff + i * n + j];
        double[] d = new double[n], e = new double[n];
        tridiagonalize(n, z, d, e);
        int info = tridiagonalQl(n, z, d, e);
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Arrays.sort(order, (x, y) -> Double.compare(d[x], d[y]));
        for (int c = 0; c < n; c++) {
            w[wOff + c] = d[order[c]];
            for (int r = 0; r < n; r++) v[vOff + r * n + c] = z[r][order[c]];
        }
        return info;
    }

    /** tred2: z ← the orthogonal Q with Qᵀ A Q tridiagonal, diagonal d, subdiagonal e[1..n-1]. */
    private static void tridiagonalize(int n, double[][] z, double[] d, double[] e) {
        for (int j = 0; j < n; j++) d[j] = z[n - 1][j];
        for (int i = n - 1; i > 0; i--) {
            double scale = 0, h = 0;
            for (int k = 0; k < i; k++) scale += Math.abs(d[k]);
            if (scale == 0) {
                e[i] = d[i - 1];
                for (int j = 0; j < i; j++) {
                    d[j] = z[i - 1][j];
                    z[i][j] = 0;
                    z[j][i] = 0;
                }
            } else {
                for (int k = 0; k < i; k++) {
                    d[k] /= scale;
                    h += d[k] * d[k];
                }
                double f = d[i - 1], g = Math.sqrt(h);
                if (f > 0) g = -g;
                e[i] = scale * g;
                h -= f * g;
                d[i - 1] = f - g;
                for (int j = 0; j < i; j++) e[j] = 0;
                for (int j = 0; j < i; j++) {
                    f = d[j];
                    z[j][i] = f;
                    g = e[j] + z[j][j] * f;
                    for (int k = j + 1; k <= i - 1; k++) {
                        g += z[k][j] * d[k];
                        e[k] += z[k][j] * f;
                    }
                    e[j] = g;
                }
                f = 0;
                for (int j = 0; j < i; j++) {
                    e[j] /= h;
                    f += e[j] * d[j];
                }
                double hh = f / (h + h);
                for (int j = 0; j < i; j++) e[j] -= hh * d[j];
                for (int j = 0; j < i; j++) {
                    f = d[j];
                    g = e[j];
                    for (int k = j; k <= i - 1; k++) z[k][j] -= f * e[k] + g * d[k];
                    d[j] = z[i - 1][j];
                    z[i][j] = 0;
                }
            }
            d[i] = h;
        }
        for (int i = 0; i < n - 1; i++) { // accumulate the transformations
            z[n - 1][i] = z[i][i];
            z[i][i] = 1;
            double h = d[i + 1];
            if (h != 0) {
                for (int k = 0; k <= i; k++) d[k] = z[k][i + 1] / h;
                for (int j = 0; j <= i; j++) {
                    double g = 0;
                    for (int k = 0; k <= i; k++) g += z[k][i + 1] * z[k][j];
                    for (int k = 0; k <= i; k++) z[k][j] -= g * d[k];
                }
            }
            for (int k = 0; k <= i; k++) z[k][i + 1] = 0;
        }
        for (int j = 0; j < n; j++) {
            d[j] = z[n - 1][j];
            z[n - 1][j] = 0;
        }
        z[n - 1][n - 1] = 1;
        e[0] = 0;
    }

    /** tql2: eigenvalues of the tridiagonal (d, e) into d, its rotations applied to the columns of z. */
    private static int tridiagonalQl(int n, double[][] z, double[] d, double[] e) {
        for (int i = 1; i < n; i++) e[i - 1] = e[i];
        e[n - 1] = 0;
        double f = 0, tst1 = 0;
        for (int l = 0; l < n; l++) {
            tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
            int m = l;
            while (m < n && Math.abs(e[m]) > EPS * tst1) m++;
            if (m > l) {
                int iter = 0;
                do {
                    if (++iter > 30) return 1;
                    double g = d[l];
                    double p = (d[l + 1] - g) / (2 * e[l]);
                    double r = Math.hypot(p, 1);
                    if (p < 0) r = -r;
                    d[l] = e[l] / (p + r);
                    d[l + 1] = e[l] * (p + r);
                    double dl1 = d[l + 1], h = g - d[l];
                    for (int i = l + 2; i < n; i++) d[i] -= h;
                    f += h;
                    p = d[m];
                    double c = 1, c2 = 1, c3 = 1, el1 = e[l + 1], s = 0, s2 = 0;
                    for (int i = m - 1; i >= l; i--) {
                        c3 = c2;
                        c2 = c;
                        s2 = s;
                        g = c * e[i];
                        h = c * p;
                        r = Math.hypot(p, e[i]);
                        e[i + 1] = s * r;
                        s = e[i] / r;
                        c = p / r;
                        p = c * d[i] - s * g;
                        d[i + 1] = h + s * (c * g + s * d[i]);
                        for (int k = 0; k < n; k++) {
                            double[] zk = z[k];
                            h = zk[i + 1];
                            zk[i + 1] = s * zk[i] + c * h;
                            zk[i] = c * zk[i] - s * h;
                        }
                    }
                    p = -s * s2 * c3 * el1 * e[l] / dl1;
                    e[l] = s * p;
                    d[l] = c * p;
                } while (Math.abs(e[l]) > EPS * tst1);
            }
            d[l] += f;
            e[l] = 0;
        }
        return 0;
    }

    /** Reduced SVD by one-sided Jacobi: U m×k, s descending, Vh k×n; info 1 if it did not converge. */
    static int svd(int m, int n, double[] a, int aOff, double[] u, int uOff, double[] s, int sOff, double[] vh, int vhOff) {
        if (m < n) { // Aᵀ = U' S V'ᵀ gives A = V' S U'ᵀ
            double[] at = transpose(a, aOff, m, n), ut = new double[n * m], vht = new double[m * m];
            int info = svd(n, m, at, 0, ut, 0, s, sOff, vht, 0);
            for (int i = 0; i < m; i++) for (int j = 0; j < m; j++) u[uOff + i * m + j] = vht[j * m + i];
            for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) vh[vhOff + i * n + j] = ut[j * m + i];
            return info;
        }
        // m >= n: columns of A as rows of g (contiguous), rotated pairwise until mutually orthogonal
        double[] g = transpose(a, aOff, m, n), vt = new double[n * n];
        for (int i = 0; i < n; i++) vt[i * n + i] = 1;
        int info = 1;
        double tol = EPS * m;
        for (int sweep = 0; sweep < MAX_SWEEPS && info != 0; sweep++) {
            boolean rotated = false;
            for (int i = 0; i < n - 1; i++) {
                for (int j = i + 1; j < n; j++) {
                    double alpha = 0, beta = 0, gamma = 0;
                    for (int r = 0; r < m; r++) {
                        double x = g[i * m + r], y = g[j * m + r];
                        alpha += x * x;
                        beta += y * y;
                        gamma += x * y;
                    }
                    // columns orthogonal to working precision (sqrt(m)·eps in LAPACK's gesvj; a little looser here)
                    if (gamma == 0 || Math.abs(gamma) <= tol * Math.sqrt(alpha) * Math.sqrt(beta)) continue;
                    rotated = true;
                    double zeta = (beta - alpha) / (2 * gamma);
                    double t = Math.signum(zeta) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
                    if (zeta == 0) t = 1;
                    double c = 1 / Math.sqrt(1 + t * t), sn = c * t;
                    rotate(g, m, i, j, c, sn);
                    rotate(vt, n, i, j, c, sn);
                }
            }
            if (!rotated) info = 0;
        }
        double[] norms = new double[n];
        for (int i = 0; i < n; i++) {
            double ss = 0;
            for (int r = 0; r < m; r++) ss += g[i * m + r] * g[i * m + r];
            norms[i] = Math.sqrt(ss);
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Arrays.sort(order, (x, y) -> Double.compare(norms[y], norms[x]));
        double smax = n == 0 ? 0 : norms[order[0]], tiny = smax * EPS * m;
        double[] ucols = new double[n * m]; // rows are the columns of U
        boolean[] filled = new boolean[n];
        for (int c = 0; c < n; c++) {
            int src = order[c];
            s[sOff + c] = norms[src];
            for (int r = 0; r < n; r++) vh[vhOff + c * n + r] = vt[src * n + r];
            if (norms[src] > tiny && norms[src] > 0) {
                for (int r = 0; r < m; r++) ucols[c * m + r] = g[src * m + r] / norms[src];
                filled[c] = true;
            }
        }
        completeOrthonormal(ucols, filled, n, m);
        for (int r = 0; r < m; r++) for (int c = 0; c < n; c++) u[uOff + r * n + c] = ucols[c * m + r];
        return info;
    }

    /** Rows i, j of row-major {@code x} (row length len) ← their rotation by (c, s). */
    private static void rotate(double[] x, int len, int i, int j, double c, double s) {
        for (int r = 0; r < len; r++) {
            double p = x[i * len + r], q = x[j * len + r];
            x[i * len + r] = c * p - s * q;
            x[j * len + r] = s * p + c * q;
        }
    }

    /**
     * Fills the rows not {@code filled} (those of zero singular values) with unit vectors orthogonal to all
     * others: of the standard basis vectors, orthogonalised (Gram–Schmidt twice, for working precision), the one
     * that keeps the most length. With r of len dimensions taken, their remaining squared lengths sum to len − r,
     * so the best keeps at least 1/len: no threshold to miss.
     */
    private static void completeOrthonormal(double[] rows, boolean[] filled, int count, int len) {
        for (int c = 0; c < count; c++) {
            if (filled[c]) continue;
            double[] best = null;
            double bestNorm = -1;
            for (int b = 0; b < len; b++) {
                double[] e = new double[len];
                e[b] = 1;
                for (int pass = 0; pass < 2; pass++) {
                    for (int o = 0; o < count; o++) {
                        if (!filled[o]) continue;
                        double d = 0;
                        for (int r = 0; r < len; r++) d += e[r] * rows[o * len + r];
                        for (int r = 0; r < len; r++) e[r] -= d * rows[o * len + r];
                    }
                }
                double nn = 0;
                for (double x : e) nn += x * x;
                if (nn > bestNorm) {
                    bestNorm = nn;
                    best = e;
                }
            }
            double inv = 1 / Math.sqrt(bestNorm);
            for (int r = 0; r < len; r++) rows[c * len + r] = best[r] * inv;
            filled[c] = true;
        }
    }

    /** Minimum-norm least squares through the SVD, dropping singular values at or below rcond·s₁. */
    static int lstsq(int m, int n, int k, double[] a, int aOff, double[] b, int bOff, double[] x, int xOff, double rcond) {
        int r = Math.min(m, n);
        double[] u = new double[m * r], s = new double[r], vh = new double[r * n];
        int info = svd(m, n, a, aOff, u, 0, s, 0, vh, 0);
        double[] y = new double[r * k]; // diag(1/s) Uᵀ B
        double cut = r == 0 ? 0 : rcond * s[0];
        for (int i = 0; i < r; i++) {
            if (!(s[i] > cut)) continue;
            for (int row = 0; row < m; row++) {
                double f = u[row * r + i] / s[i];
                if (f == 0) continue;
                for (int c = 0; c < k; c++) y[i * k + c] += f * b[bOff + row * k + c];
            }
        }
        Arrays.fill(x, xOff, xOff + n * k, 0);
        for (int i = 0; i < r; i++) {
            for (int row = 0; row < n; row++) {
                double f = vh[i * n + row];
                for (int c = 0; c < k; c++) x[xOff + row * k + c] += f * y[i * k + c];
            }
        }
        return info;
    }

    /** As {@link NativeLapack#det}. */
    static void det(int n, double[] a, int aOff, double[] out) {
        double[] lu = Arrays.copyOfRange(a, aOff, aOff + n * n);
        int[] piv = new int[n];
        if (lu(n, lu, piv) != 0) {
            out[0] = 0;
            out[1] = 0;
            out[2] = Double.NEGATIVE_INFINITY;
            return;
        }
        double det = 1, sign = 1, log = 0;
        for (int i = 0; i < n; i++) {
            double d = lu[i * n + i];
            if (piv[i] != i) sign = -sign;
            if (d < 0) sign = -sign;
            det *= Math.abs(d);
            log += Math.log(Math.abs(d));
        }
        out[0] = sign * det;
        out[1] = sign;
        out[2] = log;
    }
}
