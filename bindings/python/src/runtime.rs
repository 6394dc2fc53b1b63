//! The process's two tokio runtimes, each rebuilt after `fork()`, and the two
//! ways a core future reaches Python: blocking with the GIL released, driven
//! by the calling thread on the sync runtime, or as an asyncio future resolved
//! from the async runtime's workers.

use std::future::Future;
use std::io::{Read, Write};
use std::os::fd::AsRawFd;
use std::os::unix::net::UnixStream;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use futures_util::FutureExt;
use pyo3::IntoPyObjectExt;
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyCFunction;
use tokio::runtime::{Handle, Runtime};

use crate::errors::{internal_error, to_pyerr};

struct Owned {
    pid: u32,
    runtime: Arc<Runtime>,
}

/// Async calls run as tasks on this one's workers.
static RUNTIME: Mutex<Option<Owned>> = Mutex::new(None);
/// Sync calls run on this one: one thread at a time drives it from inside
/// `block_on`, so a call's sockets, timers and parsing all run on the calling
/// thread, with no hand-off to a worker and back.
static SYNC_RUNTIME: Mutex<Option<Owned>> = Mutex::new(None);

/// The runtime of this process in `slot`. A child after `fork()` inherits the
/// parent's runtime without its threads, so it gets a new one; the old one is
/// leaked, since dropping it would wait for threads that do not exist here.
fn this_process(py: Python<'_>, slot: &Mutex<Option<Owned>>, builder: fn() -> tokio::runtime::Builder) -> PyResult<Arc<Runtime>> {
    let pid = std::process::id();
    let mut slot = slot.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(owned) = slot.as_ref() {
        if owned.pid == pid {
            return Ok(Arc::clone(&owned.runtime));
        }
    }
    if let Some(stale) = slot.take() {
        std::mem::forget(stale);
    }
    let runtime = Arc::new(
        builder()
            .enable_all()
            .build()
            .map_err(|e| internal_error(py, &format!("could not start the runtime: {e}")))?,
    );
    *slot = Some(Owned { pid, runtime: Arc::clone(&runtime) });
    Ok(runtime)
}

/// The handle of the runtime async calls run on.
pub fn handle(py: Python<'_>) -> PyResult<Handle> {
    // Built only when there is none: `available_parallelism` reads cgroup files.
    let workers = || {
        let mut b = tokio::runtime::Builder::new_multi_thread();
        b.worker_threads(std::thread::available_parallelism().map_or(2, |n| n.get().min(4))).thread_name("novabilling");
        b
    };
    Ok(this_process(py, &RUNTIME, workers)?.handle().clone())
}

/// Runs a core call to completion with the GIL released, waking every 100 ms
/// to let Python handle signals: Ctrl-C interrupts the call and drops it,
/// which aborts the request.
pub fn block_on<T, F>(py: Python<'_>, fut: F) -> PyResult<T>
where
    F: Future<Output = novabilling::Result<T>> + Send + 'static,
    T: Send + 'static,
{
    let runtime = this_process(py, &SYNC_RUNTIME, tokio::runtime::Builder::new_current_thread)?;
    let mut fut = std::pin::pin!(async {
        // Nothing drove the runtime between calls: let pooled connections
        // learn of closes that came meanwhile (one turn to read the events, one
        // to run the connections' tasks), so a call never picks a connection
        // the server has closed and pays a retry for it.
        tokio::task::yield_now().await;
        tokio::task::yield_now().await;
        fut.await
    });
    loop {
        let waited = py.detach(|| {
            std::panic::catch_unwind(AssertUnwindSafe(|| {
                runtime.block_on(async { tokio::time::timeout(SIGNAL_CHECK, &mut fut).await })
            }))
        });
        match waited {
            Err(panic) => return Err(internal_error(py, &*panic)),
            Ok(Ok(result)) => return result.map_err(|e| to_pyerr(py, &e)),
            Ok(Err(_elapsed)) => py.check_signals()?,
        }
    }
}

const SIGNAL_CHECK: std::time::Duration = std::time::Duration::from_millis(100);

/// What a finished call becomes once the GIL is held.
type Outcome = Box<dyn for<'py> FnOnce(Python<'py>) -> PyResult<Py<PyAny>> + Send>;
type Pending = Pin<Box<dyn Future<Output = Outcome> + Send>>;

/// A core call as a coroutine: like an `async def`, nothing is sent until it
/// is awaited, and `asyncio.run(...)`, `gather` and tasks all accept it.
pub fn awaitable<'py, T, F>(py: Python<'py>, fut: F) -> PyResult<Bound<'py, PyAny>>
where
    F: Future<Output = novabilling::Result<T>> + Send + 'static,
    T: for<'a> IntoPyObject<'a> + Send + 'static,
{
    let pending: Pending = Box::pin(async move {
        let result = fut.await;
        Box::new(move |py: Python<'_>| match result {
            Ok(v) => v.into_py_any(py),
            Err(e) => Err(to_pyerr(py, &e)),
        }) as Outcome
    });
    let call = Bound::new(py, Call { pending: Mutex::new(Some(pending)) })?;
    helpers(py)?.wrap.bind(py).call1((call,))
}

/// The native half of an async call; `novabilling._aio.call` wraps it in a coroutine.
#[pyclass(frozen, module = "novabilling._native")]
pub struct Call {
    pending: Mutex<Option<Pending>>,
}

#[pymethods]
impl Call {
    /// Starts the call on the runtime and awaits an asyncio future that the
    /// runtime resolves. Cancelling the awaiting task aborts the call.
    fn __await__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let pending = self
            .pending
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
            .ok_or_else(|| pyo3::exceptions::PyRuntimeError::new_err("this call was already awaited"))?;
        let h = helpers(py)?;
        let event_loop = h.get_running_loop.call0(py)?;
        let py_future = event_loop.call_method0(py, "create_future")?;
        let future = py_future.clone_ref(py);
        let inbox = h.inbox.call1(py, (&event_loop,))?;
        let task = if let Ok(inbox) = inbox.bind(py).cast::<Inbox>() {
            let shared = Arc::clone(&inbox.get().shared);
            handle(py)?.spawn(async move {
                let outcome = AssertUnwindSafe(pending).catch_unwind().await;
                shared.deliver(Finished { future, outcome });
            })
        } else {
            // A loop that cannot watch a descriptor: settled through call_soon_threadsafe.
            let event_loop = event_loop.clone_ref(py);
            handle(py)?.spawn(async move {
                let outcome = AssertUnwindSafe(pending).catch_unwind().await;
                attach_from_runtime(|py| {
                    // call_soon_threadsafe wants a callable; the call settles once.
                    let finished = Mutex::new(Some(Finished { future, outcome }));
                    let Ok(settle) = PyCFunction::new_closure(py, None, None, move |args, _kwargs| {
                        if let Some(f) = finished.lock().unwrap_or_else(PoisonError::into_inner).take() {
                            f.settle(args.py());
                        }
                        PyResult::Ok(())
                    }) else {
                        return;
                    };
                    // The loop may be closed by now; there is nobody left to tell.
                    let _ = event_loop.call_method1(py, "call_soon_threadsafe", (settle,));
                });
            })
        };
        let abort = task.abort_handle();
        let cancel = PyCFunction::new_closure(py, None, None, move |args, _kwargs| {
            if args.get_item(0)?.call_method0("cancelled")?.is_truthy()? {
                abort.abort();
            }
            PyResult::Ok(())
        })?;
        py_future.call_method1(py, "add_done_callback", (cancel,))?;
        py_future.bind(py).call_method0("__await__")
    }
}

/// Runtime threads inside the interpreter right now, and whether it is exiting.
static IN_PYTHON: AtomicUsize = AtomicUsize::new(0);
static EXITING: AtomicBool = AtomicBool::new(false);

/// Runs `f` attached to the interpreter from a runtime thread. Once the
/// interpreter has begun to exit, nothing attaches: a thread that tried
/// would be ended by CPython mid-way through Rust frames, aborting the process.
fn attach_from_runtime(f: impl for<'py> FnOnce(Python<'py>)) {
    // Counted before the check, so `before_exit` either sees this thread or it sees the flag.
    IN_PYTHON.fetch_add(1, Ordering::SeqCst);
    if !EXITING.load(Ordering::SeqCst) {
        Python::attach(f);
    }
    IN_PYTHON.fetch_sub(1, Ordering::SeqCst);
}

/// Registered with `atexit`: stops runtime threads from entering the
/// interpreter and waits (briefly, GIL released) for those inside to leave.
#[pyfunction]
pub fn before_exit(py: Python<'_>) {
    EXITING.store(true, Ordering::SeqCst);
    py.detach(|| {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(2);
        while IN_PYTHON.load(Ordering::SeqCst) > 0 && std::time::Instant::now() < deadline {
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
    });
}

fn outcome_value(py: Python<'_>, outcome: std::thread::Result<Outcome>) -> PyResult<Py<PyAny>> {
    match outcome {
        Ok(o) => o(py),
        Err(panic) => Err(internal_error(py, &*panic)),
    }
}

/// A finished call on its way to the event loop that awaits it.
struct Finished {
    future: Py<PyAny>,
    outcome: std::thread::Result<Outcome>,
}

impl Finished {
    /// Sets the future's result or exception, on the loop's thread.
    fn settle(self, py: Python<'_>) {
        let future = self.future.bind(py);
        // Cancelled meanwhile: its task was aborted, and nobody awaits this result.
        if future.call_method0(intern!(py, "done")).and_then(|d| d.is_truthy()).unwrap_or(true) {
            return;
        }
        let _ = match outcome_value(py, self.outcome) {
            Ok(v) => future.call_method1(intern!(py, "set_result"), (v,)),
            Err(e) => future.call_method1(intern!(py, "set_exception"), (e.into_value(py),)),
        };
    }
}

struct Shared {
    queue: Mutex<Vec<Finished>>,
    waker: UnixStream,
}

impl Shared {
    /// Called on a runtime thread: queues the result and, when the queue was
    /// empty, wakes the loop with one byte. No GIL is taken here.
    fn deliver(&self, done: Finished) {
        let first = {
            let mut q = self.queue.lock().unwrap_or_else(PoisonError::into_inner);
            q.push(done);
            q.len() == 1
        };
        if first {
            // WouldBlock means the socket is full of wake-ups already: the loop will drain.
            let _ = (&self.waker).write(&[1]);
        }
    }
}

/// Where runtime threads leave the finished async calls of one event loop,
/// which the loop settles on its own thread (`loop.add_reader(inbox.fileno(),
/// inbox.drain)`). Taking the GIL from a runtime thread instead cost a thread
/// state and a stack chunk (mmap, munmap) per call, and contended with the loop.
#[pyclass(frozen, module = "novabilling._native")]
pub struct Inbox {
    shared: Arc<Shared>,
    reader: UnixStream,
}

#[pymethods]
impl Inbox {
    #[new]
    fn new() -> PyResult<Self> {
        let (reader, waker) = UnixStream::pair()?;
        reader.set_nonblocking(true)?;
        waker.set_nonblocking(true)?;
        Ok(Inbox { shared: Arc::new(Shared { queue: Mutex::new(Vec::new()), waker }), reader })
    }

    fn fileno(&self) -> i32 {
        self.reader.as_raw_fd()
    }

    /// Settles every queued call's future (on the loop's thread).
    fn drain(&self, py: Python<'_>) {
        let mut buf = [0u8; 256];
        while let Ok(n) = (&self.reader).read(&mut buf) {
            if n < buf.len() {
                break;
            }
        }
        let done = std::mem::take(&mut *self.shared.queue.lock().unwrap_or_else(PoisonError::into_inner));
        for finished in done {
            finished.settle(py);
        }
    }
}

struct Helpers {
    get_running_loop: Py<PyAny>,
    inbox: Py<PyAny>,
    wrap: Py<PyAny>,
}

static HELPERS: PyOnceLock<Helpers> = PyOnceLock::new();

/// asyncio is imported on the first async call, not at `import novabilling`.
fn helpers(py: Python<'_>) -> PyResult<&Helpers> {
    HELPERS.get_or_try_init(py, || {
        let asyncio = py.import("asyncio")?;
        let aio = py.import("novabilling._aio")?;
        Ok(Helpers {
            get_running_loop: asyncio.getattr("get_running_loop")?.unbind(),
            inbox: aio.getattr("inbox")?.unbind(),
            wrap: aio.getattr("call")?.unbind(),
        })
    })
}
