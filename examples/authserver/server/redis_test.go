package server_test

import (
	"bytes"
	"context"
	"errors"
	"net"
	"os"
	"os/exec"
	"strconv"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/redis/go-redis/v9/maintnotifications"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fapicheck/fapicheck/examples/authserver/server"
	"github.com/fapicheck/fapicheck/redisstore"
)

// startRedis starts a redis-server (FAPICHECK_REDIS_SERVER names another
// program, valkey-server say) on a free loopback port without persistence,
// stopped when the test ends, and returns a client of it. Without the
// program the test is skipped, unless FAPICHECK_REDIS=1 (test.sh sets it),
// when it fails.
func startRedis(t *testing.T) *redis.Client {
	t.Helper()
	prog := os.Getenv("FAPICHECK_REDIS_SERVER")
	if prog == "" {
		prog = "redis-server"
	}
	bin, err := exec.LookPath(prog)
	if err != nil {
		if os.Getenv("FAPICHECK_REDIS") == "1" {
			t.Fatalf("FAPICHECK_REDIS=1 but %s is not found: %v", prog, err)
		}
		t.Skipf("%s is not found (set FAPICHECK_REDIS=1 to fail instead)", prog)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	var out bytes.Buffer
	cmd := exec.Command(bin, "--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", t.TempDir())
	cmd.Stdout, cmd.Stderr = &out, &out
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	c := redis.NewClient(&redis.Options{
		Addr:                     net.JoinHostPort("127.0.0.1", strconv.Itoa(port)),
		DialTimeout:              250 * time.Millisecond,
		ReadTimeout:              500 * time.Millisecond,
		WriteTimeout:             500 * time.Millisecond,
		MaintNotificationsConfig: &maintnotifications.Config{Mode: maintnotifications.ModeDisabled},
	})
	t.Cleanup(func() { _ = c.Close() })
	for deadline := time.Now().Add(10 * time.Second); ; {
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		err := c.Ping(ctx).Err()
		cancel()
		if err == nil {
			return c
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s did not answer PING: %v\n%s", bin, err, out.String())
		}
		// Waiting for a process to listen; no test logic depends on time.
		time.Sleep(20 * time.Millisecond)
	}
}

func TestRedisState(t *testing.T) {
	t.Parallel()
	c := startRedis(t)
	ctx, now := context.Background(), time.Now()
	st := server.NewRedisState(c, "test:", time.Second)
	_, err := st.Get(ctx, "k", now)
	assert.ErrorIs(t, err, server.ErrNotFound)
	require.NoError(t, st.Put(ctx, "k", []byte("v1"), now.Add(time.Minute), now))
	got, err := st.Get(ctx, "k", now)
	require.NoError(t, err)
	assert.Equal(t, []byte("v1"), got)
	require.NoError(t, st.Put(ctx, "k", []byte("v2"), now.Add(time.Minute), now))
	got, err = st.Get(ctx, "k", now)
	require.NoError(t, err)
	assert.Equal(t, []byte("v2"), got, "Put replaces")
	ttl, err := c.PTTL(ctx, "test:k").Result()
	require.NoError(t, err)
	assert.InDelta(t, float64(time.Minute), float64(ttl), float64(5*time.Second), "held until until, counted by the server")
	assert.Error(t, st.Put(ctx, "k", []byte("v"), now, now), "a hold must end after now")
	other := server.NewRedisState(c, "other:", time.Second)
	_, err = other.Get(ctx, "k", now)
	assert.ErrorIs(t, err, server.ErrNotFound, "prefixes separate servers")

	// A server that does not answer is an error, never "not found".
	require.NoError(t, c.Close())
	_, err = st.Get(ctx, "k", now)
	require.Error(t, err)
	assert.False(t, errors.Is(err, server.ErrNotFound))
	assert.Error(t, st.Put(ctx, "k2", []byte("v"), now.Add(time.Minute), now))
}

func TestMemoryState(t *testing.T) {
	t.Parallel()
	ctx, now := context.Background(), time.Now()
	st := server.NewMemoryState(2)
	require.NoError(t, st.Put(ctx, "a", []byte("1"), now.Add(time.Minute), now))
	require.NoError(t, st.Put(ctx, "b", []byte("2"), now.Add(time.Second), now))
	assert.ErrorIs(t, st.Put(ctx, "c", []byte("3"), now.Add(time.Minute), now), server.ErrStateFull, "full of live records")
	require.NoError(t, st.Put(ctx, "a", []byte("1b"), now.Add(time.Minute), now), "replacing needs no room")
	got, err := st.Get(ctx, "a", now)
	require.NoError(t, err)
	assert.Equal(t, []byte("1b"), got)
	later := now.Add(2 * time.Second)
	_, err = st.Get(ctx, "b", later)
	assert.ErrorIs(t, err, server.ErrNotFound, "expired")
	require.NoError(t, st.Put(ctx, "c", []byte("3"), later.Add(time.Minute), later), "the expired record made room")
	assert.Equal(t, 2, st.Len())
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	_, err = st.Get(cancelled, "a", now)
	assert.Error(t, err)
}

// TestSharedInstancesRedis runs two instances on one Redis, as two
// processes started with the same -redis URL do: the store is redisstore,
// the state RedisState, under the prefixes main gives them.
func TestSharedInstancesRedis(t *testing.T) {
	t.Parallel()
	c := startRedis(t)
	testSharedInstances(t, redisstore.New(c, redisstore.WithPrefix("as:once:")), server.NewRedisState(c, "as:state:", time.Second))
}
