package callisto.engine;

import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeElement;
import java.lang.classfile.instruction.InvokeInstruction;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDescs;
import java.lang.constant.MethodTypeDesc;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import jdk.jshell.execution.LocalExecutionControl;
import jdk.jshell.spi.ExecutionControl;

/**
 * Runs snippets in this JVM. On top of {@link LocalExecutionControl} (which makes snippet loops stoppable and
 * interrupts snippet threads on stop) it
 * <ul>
 *   <li>rewrites {@code System.exit}/{@code Runtime.exit}/{@code Runtime.halt} in snippet bytecode, so a cell
 *       cannot end the process;</li>
 *   <li>keeps the real object a snippet evaluated to (JShell only hands back its string), for rendering;</li>
 *   <li>keeps the real throwable a snippet threw, so the engine can tell exit, interrupt and errors apart.</li>
 * </ul>
 */
public class CallistoExecutionControl extends LocalExecutionControl {
    private static final ClassDesc CD_SYSTEM = ClassDesc.of("java.lang.System");
    private static final ClassDesc CD_RUNTIME = ClassDesc.of("java.lang.Runtime");
    private static final ClassDesc CD_SNIPPET_EXIT = ClassDesc.of(SnippetExit.class.getName());
    private static final MethodTypeDesc MTD_INT_VOID = MethodTypeDesc.of(ConstantDescs.CD_void, ConstantDescs.CD_int);
    private static final MethodTypeDesc MTD_RUNTIME_INT_VOID =
            MethodTypeDesc.of(ConstantDescs.CD_void, CD_RUNTIME, ConstantDescs.CD_int);

    /** Hands the real snippet method to the snippet thread, which LocalExecutionControl creates per call. */
    private static final InheritableThreadLocal<Invocation> INVOCATION = new InheritableThreadLocal<>();
    private static final Method TRAMPOLINE;

    static {
        try {
            TRAMPOLINE = CallistoExecutionControl.class.getDeclaredMethod("trampoline");
        } catch (NoSuchMethodException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile Invocation last;

    public CallistoExecutionControl(ClassLoader parent) {
        super(parent);
    }

    @Override
    public void load(ClassBytecodes[] cbcs)
            throws ClassInstallException, NotImplementedException, EngineTerminationException {
        super.load(Arrays.stream(cbcs)
                .map(c -> new ClassBytecodes(c.name(), rewriteExits(c.bytecodes())))
                .toArray(ClassBytecodes[]::new));
    }

    @Override
    protected String invoke(Method doitMethod) throws Exception {
        var invocation = new Invocation(doitMethod);
        last = invocation;
        INVOCATION.set(invocation);
        try {
            return super.invoke(TRAMPOLINE);
        } finally {
            INVOCATION.remove();
        }
    }

    @Override
    protected String throwConvertedInvocationException(Throwable cause)
            throws ExecutionControl.RunException, ExecutionControl.InternalException {
        Invocation invocation = last;
        if (invocation != null) invocation.thrown = cause;
        return super.throwConvertedInvocationException(cause);
    }

    /** Clears what the previous snippet left; call before each eval. */
    void resetLast() {
        last = null;
    }

    /** The value the last snippet invocation returned, or null. */
    Object lastValue() {
        Invocation i = last;
        return i == null ? null : i.result;
    }

    /** The throwable the last snippet invocation threw, or null. */
    Throwable lastThrown() {
        Invocation i = last;
        return i == null ? null : i.thrown;
    }

    /** Runs on the snippet thread in place of the snippet's {@code do_it$}, keeping its result. */
    public static Object trampoline() throws Throwable {
        Invocation invocation = INVOCATION.get();
        try {
            invocation.result = invocation.method.invoke(null);
            return invocation.result;
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    static byte[] rewriteExits(byte[] classBytes) {
        ClassFile cf = ClassFile.of();
        return cf.transformClass(cf.parse(classBytes), ClassTransform.transformingMethodBodies((code, element) -> {
            if (!rewrite(code, element)) code.with(element);
        }));
    }

    private static boolean rewrite(java.lang.classfile.CodeBuilder code, CodeElement element) {
        if (!(element instanceof InvokeInstruction call)) return false;
        ClassDesc owner = call.owner().asSymbol();
        String name = call.name().stringValue();
        MethodTypeDesc type = call.typeSymbol();
        if (owner.equals(CD_SYSTEM) && name.equals("exit") && type.equals(MTD_INT_VOID)) {
            code.invokestatic(CD_SNIPPET_EXIT, "exit", MTD_INT_VOID);
            return true;
        }
        if (owner.equals(CD_RUNTIME) && (name.equals("exit") || name.equals("halt")) && type.equals(MTD_INT_VOID)) {
            code.invokestatic(CD_SNIPPET_EXIT, name, MTD_RUNTIME_INT_VOID);
            return true;
        }
        return false;
    }

    private static final class Invocation {
        final Method method;
        volatile Object result;
        volatile Throwable thrown;

        Invocation(Method method) {
            this.method = method;
        }
    }
}
