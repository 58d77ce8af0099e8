package redisstore_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fapicheck/fapicheck/onetime"
	"github.com/fapicheck/fapicheck/redisstore"
)

// The store is an onetime.Store.
var _ onetime.Store = (*redisstore.Store)(nil)

var t0 = time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)

func use(key string, hold time.Duration) onetime.Use {
	return onetime.Use{Key: key, Until: t0.Add(hold)}
}

// step is one FirstUse call at t0.
type step struct {
	uses []onetime.Use
	want []bool
	err  error
}

func TestFirstUse(t *testing.T) {
	srv := startRedis(t)
	client := newClient(t, srv)
	long := strings.Repeat("k", onetime.MaxKeyLength)
	tests := []struct {
		name  string
		steps []step
	}{
		{"first use", []step{
			{uses: []onetime.Use{use("a", time.Minute)}, want: []bool{true}},
		}},
		{"replay refused", []step{
			{uses: []onetime.Use{use("a", time.Minute)}, want: []bool{true}},
			{uses: []onetime.Use{use("a", time.Minute)}, want: []bool{false}},
		}},
		{"duplicate key in one call: first only", []step{
			{uses: []onetime.Use{use("a", time.Minute), use("a", time.Minute)}, want: []bool{true, false}},
		}},
		{"several keys, answers in order", []step{
			{uses: []onetime.Use{use("a", time.Minute)}, want: []bool{true}},
			{uses: []onetime.Use{use("b", time.Minute), use("a", time.Minute), use("c", time.Minute)}, want: []bool{true, false, true}},
		}},
		{"no uses", []step{
			{uses: nil, want: []bool{}},
		}},
		{"key of MaxKeyLength bytes accepted", []step{
			{uses: []onetime.Use{use(long, time.Minute)}, want: []bool{true}},
			{uses: []onetime.Use{use(long, time.Minute)}, want: []bool{false}},
		}},
		{"empty key invalid, nothing recorded", []step{
			{uses: []onetime.Use{use("a", time.Minute), use("", time.Minute)}, err: onetime.ErrInvalidUse},
			{uses: []onetime.Use{use("a", time.Minute)}, want: []bool{true}},
		}},
		{"key over MaxKeyLength invalid, nothing recorded", []step{
			{uses: []onetime.Use{use("a", time.Minute), use(long+"k", time.Minute)}, err: onetime.ErrInvalidUse},
			{uses: []onetime.Use{use("a", time.Minute)}, want: []bool{true}},
		}},
		{"Until equal to now invalid", []step{
			{uses: []onetime.Use{use("a", 0)}, err: onetime.ErrInvalidUse},
		}},
		{"Until before now invalid", []step{
			{uses: []onetime.Use{use("a", -time.Second)}, err: onetime.ErrInvalidUse},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hook := &counter{}
			c := connected(t, srv)
			c.AddHook(hook)
			s := redisstore.New(c, redisstore.WithPrefix(t.Name()+":"))
			for i, st := range tt.steps {
				hook.reset()
				first, err := s.FirstUse(context.Background(), t0, st.uses...)
				if st.err != nil {
					require.ErrorIs(t, err, st.err, "step %d", i)
					assert.Nil(t, first, "step %d: an error carries no answer", i)
					assert.Empty(t, hook.pipelines, "step %d: nothing sent", i)
					continue
				}
				require.NoError(t, err, "step %d", i)
				assert.Equal(t, st.want, first, "step %d", i)
			}
		})
	}
	// The keys are under the prefix, with the hold as their time to live.
	pttl, err := client.PTTL(context.Background(), "TestFirstUse/first_use:a").Result()
	require.NoError(t, err)
	assert.Greater(t, pttl, 50*time.Second)
	assert.LessOrEqual(t, pttl, time.Minute)
}

func TestDefaultPrefix(t *testing.T) {
	srv := startRedis(t)
	client := newClient(t, srv)
	s := redisstore.New(client)
	first, err := s.FirstUse(context.Background(), t0, use("k", time.Minute))
	require.NoError(t, err)
	assert.Equal(t, []bool{true}, first)
	v, err := client.Get(context.Background(), redisstore.DefaultPrefix+"k").Result()
	require.NoError(t, err)
	assert.Equal(t, "1", v)
}

// TestExpiry holds a key for 300 ms of the server's time: refused before,
// first again after.
func TestExpiry(t *testing.T) {
	srv := startRedis(t)
	s := redisstore.New(newClient(t, srv))
	ctx := context.Background()
	now := time.Now()
	u := onetime.Use{Key: "expiring", Until: now.Add(300 * time.Millisecond)}
	first, err := s.FirstUse(ctx, now, u)
	require.NoError(t, err)
	require.Equal(t, []bool{true}, first)
	first, err = s.FirstUse(ctx, now, u)
	require.NoError(t, err)
	assert.Equal(t, []bool{false}, first, "held")

	time.Sleep(400 * time.Millisecond)
	now = time.Now()
	first, err = s.FirstUse(ctx, now, onetime.Use{Key: "expiring", Until: now.Add(time.Minute)})
	require.NoError(t, err)
	assert.Equal(t, []bool{true}, first, "the hold has ended")
}

// TestHoldRounding reads the PX argument each hold is sent with: rounded up
// to whole milliseconds, at least 1.
func TestHoldRounding(t *testing.T) {
	srv := startRedis(t)
	c := connected(t, srv)
	hook := &counter{}
	c.AddHook(hook)
	s := redisstore.New(c)
	tests := []struct {
		hold time.Duration
		px   string
	}{
		{time.Nanosecond, "1"},
		{time.Millisecond - 1, "1"},
		{time.Millisecond, "1"},
		{time.Millisecond + 1, "2"},
		{1500*time.Millisecond + 300*time.Microsecond, "1501"},
		{time.Minute, "60000"},
		{100 * 365 * 24 * time.Hour, "3153600000000"},
	}
	for _, tt := range tests {
		t.Run(tt.hold.String(), func(t *testing.T) {
			hook.reset()
			first, err := s.FirstUse(context.Background(), t0, use("hold-"+tt.hold.String(), tt.hold))
			require.NoError(t, err)
			require.Equal(t, []bool{true}, first)
			require.Len(t, hook.args, 1)
			assert.Equal(t, []any{"SET", redisstore.DefaultPrefix + "hold-" + tt.hold.String(), "1", "NX", "PX", tt.px}, hook.args[0])
		})
	}
}

// TestOneRoundTrip counts what the client sends for one call: one pipeline
// holding every use, and no other command.
func TestOneRoundTrip(t *testing.T) {
	srv := startRedis(t)
	c := connected(t, srv)
	hook := &counter{}
	c.AddHook(hook)
	s := redisstore.New(c)
	for _, n := range []int{1, 2, 10, 100} {
		hook.reset()
		uses := make([]onetime.Use, n)
		for i := range uses {
			uses[i] = use(strings.Repeat("r", n)+string(rune('a'+i%26))+strings.Repeat("x", i/26), time.Minute)
		}
		first, err := s.FirstUse(context.Background(), t0, uses...)
		require.NoError(t, err)
		require.Len(t, first, n)
		assert.Equal(t, []int{n}, hook.pipelines, "%d uses: one pipeline of %d commands", n, n)
		assert.Zero(t, hook.commands, "%d uses: no command outside the pipeline", n)
	}
}

func TestContextDone(t *testing.T) {
	srv := startRedis(t)
	c := connected(t, srv)
	hook := &counter{}
	c.AddHook(hook)
	s := redisstore.New(c)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	first, err := s.FirstUse(ctx, t0, use("a", time.Minute))
	require.ErrorIs(t, err, context.Canceled)
	assert.Nil(t, first)
	assert.Empty(t, hook.pipelines, "nothing sent")
}

// TestTimeout sets a timeout shorter than a round trip can take: the call
// fails closed.
func TestTimeout(t *testing.T) {
	srv := startRedis(t)
	s := redisstore.New(newClient(t, srv), redisstore.WithTimeout(time.Nanosecond))
	first, err := s.FirstUse(context.Background(), t0, use("a", time.Minute))
	require.ErrorIs(t, err, onetime.ErrUnavailable)
	assert.Nil(t, first)

	s = redisstore.New(newClient(t, srv), redisstore.WithTimeout(0))
	first, err = s.FirstUse(context.Background(), t0, use("a", time.Minute))
	require.NoError(t, err, "no timeout of the store's own")
	assert.Len(t, first, 1)
}

// TestStopped stops the server: every call fails with ErrUnavailable and no
// answer, and the store works again once the server is back.
func TestStopped(t *testing.T) {
	srv := startRedis(t)
	s := redisstore.New(newClient(t, srv))
	ctx := context.Background()
	first, err := s.FirstUse(ctx, t0, use("before", time.Minute))
	require.NoError(t, err)
	require.Equal(t, []bool{true}, first)

	srv.Stop()
	for _, uses := range [][]onetime.Use{
		{use("during", time.Minute)},
		{use("before", time.Minute), use("during-2", time.Minute)},
	} {
		first, err = s.FirstUse(ctx, t0, uses...)
		require.ErrorIs(t, err, onetime.ErrUnavailable)
		assert.Nil(t, first)
	}

	srv.Start()
	first, err = s.FirstUse(ctx, t0, use("after", time.Minute))
	require.NoError(t, err)
	assert.Equal(t, []bool{true}, first)
}

// TestPartialPipelineFailure gives the store a user that may write some
// keys and not others (an ACL): in a pipeline where one SET is refused and
// the others succeed, the call fails with ErrUnavailable and no answer, and
// the keys that were set stay consumed.
func TestPartialPipelineFailure(t *testing.T) {
	srv := startRedis(t)
	admin := newClient(t, srv)
	ctx := context.Background()
	require.NoError(t, admin.Do(ctx, "ACL", "SETUSER", "limited", "on", ">secret", "~allowed:*", "+@all").Err())
	opts := clientOptions(srv.Addr())
	opts.Username, opts.Password = "limited", "secret"
	limited := redis.NewClient(opts)
	defer limited.Close()
	s := redisstore.New(limited, redisstore.WithPrefix(""))

	first, err := s.FirstUse(ctx, t0, use("allowed:a", time.Minute), use("denied:b", time.Minute), use("allowed:c", time.Minute))
	require.ErrorIs(t, err, onetime.ErrUnavailable)
	assert.Contains(t, err.Error(), "use 1")
	assert.Nil(t, first)

	n, err := admin.Exists(ctx, "allowed:a", "allowed:c").Result()
	require.NoError(t, err)
	assert.Equal(t, int64(2), n, "the SETs that succeeded stay")
	first, err = s.FirstUse(ctx, t0, use("allowed:a", time.Minute), use("allowed:c", time.Minute), use("allowed:d", time.Minute))
	require.NoError(t, err)
	assert.Equal(t, []bool{false, false, true}, first, "consumed, never reported first")
}
