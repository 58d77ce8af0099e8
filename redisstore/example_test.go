package redisstore_test

import (
	"context"
	"log"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/fapicheck/fapicheck/onetime"
	"github.com/fapicheck/fapicheck/redisstore"
)

// Every instance of the authorization server builds its Store on the same
// Redis (or Valkey) and prefix, and so shares one record of the one-time
// values it has seen.
func ExampleNew() {
	client := redis.NewClient(&redis.Options{Addr: "127.0.0.1:6379"})
	defer client.Close()
	store := redisstore.New(client,
		redisstore.WithPrefix("as.example.com:"),
		redisstore.WithTimeout(200*time.Millisecond))

	now := time.Now()
	key := onetime.Key(onetime.KindCode, "the code presented at the token endpoint")
	first, err := store.FirstUse(context.Background(), now, onetime.Use{Key: key, Until: now.Add(time.Minute)})
	if err != nil || !first[0] {
		log.Print("refuse the token request: the code was used before, or the store did not answer")
	}
}
