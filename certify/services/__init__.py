"""Write services: each call checks permissions, writes in one transaction and audits."""
