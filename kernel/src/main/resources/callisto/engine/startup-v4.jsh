// Callisto startup, version 4: the JDK's usual jshell imports, then the stdlib's (tensors, FFT, linear algebra, sparse
// solvers, ODEs, PDE data, nn, optim, neural operators and fields), plotting's and datasets' (with Tablesaw's).
import java.io.*;
import java.math.*;
import java.net.*;
import java.nio.file.*;
import java.util.*;
import java.util.concurrent.*;
import java.util.function.*;
import java.util.regex.*;
import java.util.stream.*;
import callisto.display.*;
import callisto.runtime.*;
import callisto.tensor.*;
import callisto.fft.*;
import callisto.linalg.*;
import callisto.sparse.*;
import callisto.ode.*;
import callisto.pde.*;
import callisto.nn.*;
import callisto.nn.Module; // over java.lang.Module, which every star import would leave ambiguous
import callisto.optim.*;
import callisto.operators.*;
import callisto.fields.*;
import callisto.plot.*;
import callisto.datasets.*;
import callisto.train.*;
import tech.tablesaw.api.*;
import static callisto.display.Display.*;
