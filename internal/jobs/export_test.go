package jobs

// Follower makes a node that never leads, so a test knows which node
// rescues and schedules.
func Follower(o Options) Options { o.follower = true; return o }

// Quick starts the leader's services at once.
func Quick(o Options) Options { o.quick = true; return o }
