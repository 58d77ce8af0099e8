package redisstore_test

import (
	"bytes"
	"context"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/redis/go-redis/v9/maintnotifications"
)

// redisServer is a redis-server (or valkey-server) process on a free
// loopback port, in a temporary directory, without persistence. Stop and
// Start stop it and start it again on the same port.
type redisServer struct {
	tb   testing.TB
	bin  string
	dir  string
	port int

	mu  sync.Mutex
	cmd *exec.Cmd
	out *bytes.Buffer
}

// startRedis starts a server for tb and stops it when tb ends: the program
// FAPICHECK_REDIS_SERVER names (a path or a name on PATH; test.sh runs the
// tests once with redis-server and once with valkey-server), redis-server by
// default. Without it the test is skipped, unless FAPICHECK_REDIS=1, when it
// fails: CI sets it so that a missing server cannot pass as a skip.
func startRedis(tb testing.TB) *redisServer {
	tb.Helper()
	bin, err := exec.LookPath(serverProgram())
	if err != nil {
		if os.Getenv("FAPICHECK_REDIS") == "1" {
			tb.Fatalf("FAPICHECK_REDIS=1 but %s is not found: %v", serverProgram(), err)
		}
		tb.Skipf("%s is not found (set FAPICHECK_REDIS=1 to fail instead)", serverProgram())
	}
	s := &redisServer{tb: tb, bin: bin, dir: tb.TempDir(), port: freePort(tb)}
	s.Start()
	tb.Cleanup(s.Stop)
	return s
}

// serverProgram is the server the tests start.
func serverProgram() string {
	if p := os.Getenv("FAPICHECK_REDIS_SERVER"); p != "" {
		return p
	}
	return "redis-server"
}

// freePort returns a loopback TCP port that was free a moment ago.
func freePort(tb testing.TB) int {
	tb.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// Addr is the server's address.
func (s *redisServer) Addr() string {
	return net.JoinHostPort("127.0.0.1", strconv.Itoa(s.port))
}

// Start starts the server and waits until it answers PING.
func (s *redisServer) Start() {
	s.tb.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd != nil {
		s.tb.Fatal("server already running")
	}
	s.out = &bytes.Buffer{}
	cmd := exec.Command(s.bin,
		"--port", strconv.Itoa(s.port), "--bind", "127.0.0.1",
		"--save", "", "--appendonly", "no", "--dir", s.dir)
	cmd.Stdout, cmd.Stderr = s.out, s.out
	if err := cmd.Start(); err != nil {
		s.tb.Fatalf("starting %s: %v", s.bin, err)
	}
	s.cmd = cmd
	c := redis.NewClient(clientOptions(s.Addr()))
	defer c.Close()
	deadline := time.Now().Add(10 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		err := c.Ping(ctx).Err()
		cancel()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			s.tb.Fatalf("%s on port %d did not answer PING: %v\n%s", s.bin, s.port, err, s.out)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Stop kills the server and waits for it to exit; its keys are lost. A
// stopped server's Stop does nothing.
func (s *redisServer) Stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd == nil {
		return
	}
	_ = s.cmd.Process.Kill()
	_ = s.cmd.Wait()
	s.cmd = nil
}

// clientOptions are those of the tests' clients: short timeouts, so that a
// stopped server fails a call quickly, and no maintenance notifications,
// which a plain redis-server does not send.
func clientOptions(addr string) *redis.Options {
	return &redis.Options{
		Addr:                     addr,
		DialTimeout:              250 * time.Millisecond,
		ReadTimeout:              500 * time.Millisecond,
		WriteTimeout:             500 * time.Millisecond,
		MaintNotificationsConfig: &maintnotifications.Config{Mode: maintnotifications.ModeDisabled},
	}
}

// newClient returns a client of s, closed when tb ends.
func newClient(tb testing.TB, s *redisServer) *redis.Client {
	c := redis.NewClient(clientOptions(s.Addr()))
	tb.Cleanup(func() { _ = c.Close() })
	return c
}

// connected returns a client of s that has opened its connection, so that
// a hook added to it sees only what is sent afterwards (a new connection
// sends its own setup commands).
func connected(tb testing.TB, s *redisServer) *redis.Client {
	tb.Helper()
	c := newClient(tb, s)
	if err := c.Ping(context.Background()).Err(); err != nil {
		tb.Fatal(err)
	}
	return c
}

// TestMain keeps go-redis quiet: the tests stop the server on purpose, and
// the client would log every refused dial.
func TestMain(m *testing.M) {
	redis.SetLogger(quiet{})
	os.Exit(m.Run())
}

type quiet struct{}

func (quiet) Printf(context.Context, string, ...any) {}

// counter is a go-redis hook that counts the commands and pipelines a client
// sends.
type counter struct {
	mu        sync.Mutex
	commands  int   // single commands (ProcessHook)
	pipelines []int // the number of commands of each pipeline
	args      [][]any
}

func (h *counter) DialHook(next redis.DialHook) redis.DialHook { return next }

func (h *counter) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		h.mu.Lock()
		h.commands++
		h.mu.Unlock()
		return next(ctx, cmd)
	}
}

func (h *counter) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		h.mu.Lock()
		h.pipelines = append(h.pipelines, len(cmds))
		for _, c := range cmds {
			h.args = append(h.args, c.Args())
		}
		h.mu.Unlock()
		return next(ctx, cmds)
	}
}

func (h *counter) reset() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.commands, h.pipelines, h.args = 0, nil, nil
}

// TestServerKind makes sure the tests talk to the server they were meant
// for: with FAPICHECK_REDIS_KIND=valkey, the server must say it is Valkey
// (INFO's server_name), with redis that it is not. The store sends nothing
// that depends on which it is.
func TestServerKind(t *testing.T) {
	want := os.Getenv("FAPICHECK_REDIS_KIND")
	srv := startRedis(t)
	info, err := newClient(t, srv).Info(context.Background(), "server").Result()
	if err != nil {
		t.Fatal(err)
	}
	valkey := strings.Contains(info, "server_name:valkey")
	t.Logf("%s: valkey=%v", srv.bin, valkey)
	switch want {
	case "":
	case "valkey", "redis":
		if valkey != (want == "valkey") {
			t.Fatalf("FAPICHECK_REDIS_KIND=%s, but %s answers INFO with:\n%s", want, srv.bin, info)
		}
	default:
		t.Fatalf("FAPICHECK_REDIS_KIND=%q: want redis or valkey", want)
	}
}
