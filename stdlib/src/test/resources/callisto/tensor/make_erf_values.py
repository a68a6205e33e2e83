"""Reference values of erf for ErfTest, to 25 significant digits (mpmath, 50-digit arithmetic).

Run: /usr/bin/python3 make_erf_values.py > erf_values.txt   (Debian's python3-mpmath)
The points are doubles (written with repr, so Java reads the same double): a sweep over [-6.5, 6.5] at an
irrational step, so they fall everywhere inside the fitted intervals, plus tiny and boundary values.
"""
import mpmath

mpmath.mp.dps = 50
points = [i * 0.0031830988618379067 - 6.5 for i in range(4085)]
points += [1e-300, 1e-12, 3e-5, 0.25, 0.5, 5.75, 6.0 - 1e-12, 6.0, 7.5]
for x in points:
    print(repr(float(x)), mpmath.nstr(mpmath.erf(mpmath.mpf(float(x))), 25))
