package mailq_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/smartustaz/smartustaz/internal/db"
	"github.com/smartustaz/smartustaz/internal/db/dbtest"
	"github.com/smartustaz/smartustaz/internal/i18n"
	"github.com/smartustaz/smartustaz/internal/mail"
	"github.com/smartustaz/smartustaz/internal/mail/mailtest"
	"github.com/smartustaz/smartustaz/internal/mailq"
)

// BenchmarkEnqueue is the cost a request pays to send a message: sealing
// it and writing it with its job in a transaction of its own (Send).
func BenchmarkEnqueue(b *testing.B) {
	for _, e := range []db.Engine{db.SQLite, db.Postgres} {
		b.Run(string(e), func(b *testing.B) {
			d := dbtest.Open(b, e)
			v := openVault(b, d, b.TempDir())
			q := newQueue(b, d, v, mail.NewOutbox(b.TempDir(), ""), mailq.Options{}, jobOptions("bench"), false)
			m := mail.VerifyEmail(i18n.KK, rcpt, "https://smartustaz.example.kz/verify?token=abcdef")
			ctx := context.Background()
			b.ResetTimer()
			for b.Loop() {
				if err := q.Send(ctx, m); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkDeliver measures the queue's throughput: messages handed to a
// local SMTP server (in-process go-smtp, plain, on loopback) a second by
// one node with the given workers, from enqueued to marked sent.
func BenchmarkDeliver(b *testing.B) {
	for _, e := range []db.Engine{db.SQLite, db.Postgres} {
		for _, workers := range []int{2, 8} {
			b.Run(fmt.Sprintf("%s/workers=%d", e, workers), func(b *testing.B) {
				ctx := context.Background()
				d := dbtest.Open(b, e)
				v := openVault(b, d, b.TempDir())
				srv := (&mailtest.Server{}).Start(b, mailtest.Plain)
				out := smtpSender(b, srv, "smtp", "", "", "?starttls=none")
				jo := jobOptions("bench")
				jo.Workers = workers
				q := newQueue(b, d, v, out, mailq.Options{}, jo, false)
				m := mail.VerifyEmail(i18n.KK, rcpt, "https://smartustaz.example.kz/verify?token=abcdef")
				n := b.N
				for i := 0; i < n; i += 100 {
					if err := d.InTx(ctx, func(tx *db.Tx) error {
						for j := i; j < min(n, i+100); j++ {
							if err := q.SendTx(ctx, tx, m); err != nil {
								return err
							}
						}
						return nil
					}); err != nil {
						b.Fatal(err)
					}
				}
				b.ResetTimer()
				start := time.Now()
				newQueue(b, d, v, out, mailq.Options{}, jo, true)
				for {
					c, err := q.Counts(ctx)
					if err != nil {
						b.Fatal(err)
					}
					if c.Sent == n {
						break
					}
					time.Sleep(5 * time.Millisecond)
				}
				b.StopTimer()
				b.ReportMetric(float64(n)/time.Since(start).Seconds(), "msgs/s")
				if srv.Count() != n {
					b.Fatalf("server received %d, want %d", srv.Count(), n)
				}
			})
		}
	}
}
